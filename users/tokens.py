"""Reading tokens this service signed, and the claims in them."""

from functools import lru_cache
from types import MappingProxyType
from typing import Any, TypeVar

from django.conf import settings
from django.core import signing
from rest_framework_simplejwt.exceptions import ExpiredTokenError, InvalidToken, TokenError
from rest_framework_simplejwt.tokens import AccessToken, Token
from rest_framework_simplejwt.utils import aware_utcnow

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
    except TokenError as exc:
        raise _invalid(exc, expired_message) from exc


def read_access_token(raw_token: str | bytes, *, expired_message: str) -> AccessToken:
    """read_token of an AccessToken, its signature checked once per worker: decoding it
    (PyJWT: base64, JSON, HMAC) was a tenth of a list request's CPU, and a client sends the
    same token for its lifetime. The claims of the latest tokens that decoded are kept; the
    rest of simplejwt's checks (expiry against the clock, type, id) run at every use, so a
    kept token still expires when its claims say."""
    try:
        claims = _decoded_access_claims(raw_token)
    except TokenError as exc:
        raise _invalid(exc, expired_message) from exc
    token = AccessToken.__new__(AccessToken)
    # What Token.__init__ sets, from the claims it decoded.
    token.token, token.current_time, token.payload = raw_token, aware_utcnow(), dict(claims)
    try:
        # The expiry PyJWT checked when the token was decoded, checked now: an expired
        # token gets the same answer whether it was kept or not.
        token.check_exp()
    except TokenError as exc:
        raise _invalid(ExpiredTokenError(*exc.args), expired_message) from exc
    try:
        token.verify()
    except TokenError as exc:
        raise _invalid(exc, expired_message) from exc
    return token


@lru_cache(maxsize=1024)
def _decoded_access_claims(raw_token: str | bytes) -> MappingProxyType[str, Any]:
    # An exception is not kept: a token that fails is decoded again at each use.
    return MappingProxyType(AccessToken(raw_token).payload)


def _invalid(exc: TokenError, expired_message: str) -> InvalidToken:
    if isinstance(exc, ExpiredTokenError):
        return InvalidToken(expired_message, code="token_expired")
    return InvalidToken(exc.args[0])


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
