"""Reading tokens this service signed, and the claims in them."""

from typing import TypeVar

from rest_framework_simplejwt.exceptions import ExpiredTokenError, InvalidToken, TokenError
from rest_framework_simplejwt.tokens import Token

TokenType = TypeVar("TokenType", bound=Token)

# The largest id a BigAutoField holds; a larger number cannot name a row.
_MAX_USER_ID = 2**63 - 1


def read_token(
    token_class: type[TokenType], raw_token: str | bytes, *, expired_message: str
) -> TokenType:
    """`raw_token` as simplejwt reads a `token_class` (signature, expiry, type and, for a
    refresh token, the blacklist), or a 401 with simplejwt's reason; an expired token says
    instead what to do next (`code: token_expired`)."""
    try:
        return token_class(raw_token)
    except ExpiredTokenError as exc:
        raise InvalidToken(expired_message, code="token_expired") from exc
    except TokenError as exc:
        raise InvalidToken(exc.args[0]) from exc


def parse_user_id(claim: object) -> int | None:
    """The user id a token names (simplejwt writes it as a string of digits), or None when
    the claim cannot be one, so that it never reaches a query as a non-integer."""
    if isinstance(claim, int) and not isinstance(claim, bool):
        claim = str(claim)
    if not (isinstance(claim, str) and claim.isascii() and claim.isdigit() and len(claim) <= 19):
        return None
    user_id = int(claim)
    return user_id if 0 < user_id <= _MAX_USER_ID else None
