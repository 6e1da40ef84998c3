from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token
from rest_framework_simplejwt.utils import get_md5_hash_password

from api.queries import PreparedQuery
from users.models import User
from users.tokens import parse_user_id, read_access_token

ACCESS_EXPIRED_MESSAGE = (
    "Your access token has expired; get a new one from POST /api/auth/token/refresh/."
)


class CredentialsInBody(JWTAuthentication):
    """For endpoints that take credentials in the body (login, refresh, register).

    It ignores any Authorization header, so a stale token cannot block a login, and, like
    simplejwt's own token views, still names the Bearer scheme, so failed credentials
    answer 401 rather than 403.
    """

    def authenticate(self, request: Request) -> None:
        return None


# The account a token names: simplejwt's query, compiled once (most API requests make it).
_account = PreparedQuery(
    lambda user_id: User.objects.filter(**{api_settings.USER_ID_FIELD: user_id}), "user_id"
)


class AccessTokenAuthentication(JWTAuthentication):
    """simplejwt's bearer authentication, with answers a client can act on: an expired
    token says so in `detail`, and a signed token naming no usable user id is a 401, not a
    database error."""

    def get_validated_token(self, raw_token: bytes) -> Token:
        return read_access_token(raw_token, expired_message=ACCESS_EXPIRED_MESSAGE)

    def get_user(self, validated_token: Token) -> User:
        """simplejwt's get_user: the row, then its checks (_check_account)."""
        user_id = parse_user_id(validated_token.get(api_settings.USER_ID_CLAIM))
        if user_id is None:
            raise InvalidToken("Token contained no recognizable user identification")
        user = _account.first(user_id=user_id)
        if user is None:
            raise AuthenticationFailed(_("User not found"), code="user_not_found")
        _check_account(validated_token, user)
        return user


def _check_account(validated_token: Token, user: User) -> None:
    """simplejwt's checks of the account a token names, in its words and codes: active, and
    the password unchanged since the token was issued when revocation is on."""
    if api_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
        raise AuthenticationFailed(_("User is inactive"), code="user_inactive")
    if api_settings.CHECK_REVOKE_TOKEN and validated_token.get(
        api_settings.REVOKE_TOKEN_CLAIM
    ) != get_md5_hash_password(user.password):
        raise AuthenticationFailed(
            _("The user's password has been changed."), code="password_changed"
        )


class TokenAccount:
    """The account an access token names, before its row is read: only its id. Reading
    anything else fails (AttributeError) rather than answer for an account that may be gone
    or deactivated."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, pk: int) -> None:
        self.pk = self.id = pk


class AccessTokenIdAuthentication(AccessTokenAuthentication):
    """AccessTokenAuthentication without the query for the user: `request.user` is a
    TokenAccount. For views that read the account's row in their own query, joined to what
    they read (one query instead of two), and must then pass it to `require_account`, which
    applies the checks this skipped (the account exists and is active) before anything is
    answered or written."""

    def get_user(self, validated_token: Token) -> TokenAccount:
        user_id = parse_user_id(validated_token.get(api_settings.USER_ID_CLAIM))
        if user_id is None:
            raise InvalidToken("Token contained no recognizable user identification")
        return TokenAccount(user_id)


def require_account(request: Request, account: User | None) -> User:
    """The request's account, checked as AccessTokenAuthentication checks it (401 for a
    deleted or deactivated account), and from now on `request.user`. `account` is the row the
    view read with its query (None when that found nothing): read here only if it is not the
    token's."""
    if account is None or account.pk != request.user.pk:
        account = AccessTokenAuthentication().get_user(request.auth)
    else:
        _check_account(request.auth, account)
    request.user = account
    return account
