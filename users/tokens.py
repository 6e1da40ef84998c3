"""Reading tokens this service signed, and the claims in them."""

from typing import TypeVar

from django.conf import settings
from django.core import signing
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


# --- Links e-mailed to an address -------------------------------------------------------

_EMAIL_LINK_SALT = "users.tokens.email-link"


def email_link_token(*, user_id: int, purpose: str, address: str, current: str) -> str:
    """A signed, expiring token for a link mailed to `address`: verifying the account's
    address (`purpose` "verify") or moving the account to a new one ("change"). It names the
    account's address when it was made (`current`), so it works once: using it changes what
    it names. The link is in a URL fragment, so it never reaches a server log."""
    payload = {"u": user_id, "p": purpose, "a": address, "c": current}
    return signing.dumps(payload, salt=_EMAIL_LINK_SALT, compress=True)


def read_email_link_token(token: str, *, purpose: str) -> tuple[int, str, str] | None:
    """(user id, address, the account's address when it was made) of a token that this
    service signed for `purpose` within EMAIL_VERIFICATION_TIMEOUT, else None."""
    if not isinstance(token, str) or len(token) > _EMAIL_LINK_MAX_CHARS:
        return None
    try:
        payload = signing.loads(
            token, salt=_EMAIL_LINK_SALT, max_age=settings.EMAIL_VERIFICATION_TIMEOUT
        )
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("p") != purpose:
        return None
    user_id = parse_user_id(payload.get("u"))
    address, current = payload.get("a"), payload.get("c")
    if user_id is None or not isinstance(address, str) or not isinstance(current, str):
        return None
    return user_id, address, current


# Two 254-character addresses, signed and compressed, stay well under this.
_EMAIL_LINK_MAX_CHARS = 1024
