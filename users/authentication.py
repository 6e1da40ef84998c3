from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import ExpiredTokenError, InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken, Token

from users.models import User
from users.tokens import parse_user_id

ACCESS_EXPIRED_MESSAGE = (
    "Your access token has expired; get a new one from POST /api/auth/token/refresh/."
)


class CredentialsInBody(BaseAuthentication):
    """For endpoints that take credentials in the body (login, refresh, register).

    It ignores any Authorization header, so a stale token cannot block a login, and it
    still names the Bearer scheme, so failed credentials answer 401 rather than 403.
    """

    def authenticate(self, request: Request) -> None:
        return None

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class AccessTokenAuthentication(JWTAuthentication):
    """simplejwt's bearer authentication, with answers a client can act on: an expired
    token says so in `detail`, and a signed token naming no usable user id is a 401, not a
    database error."""

    def get_validated_token(self, raw_token: bytes) -> Token:
        try:
            return AccessToken(raw_token)
        except ExpiredTokenError as exc:
            raise InvalidToken(ACCESS_EXPIRED_MESSAGE, code="token_expired") from exc
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc

    def get_user(self, validated_token: Token) -> User:
        if parse_user_id(validated_token.get(api_settings.USER_ID_CLAIM)) is None:
            raise InvalidToken("Token contained no recognizable user identification")
        return super().get_user(validated_token)
