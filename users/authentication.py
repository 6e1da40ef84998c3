from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken, Token

from users.models import User
from users.tokens import parse_user_id, read_token

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


class AccessTokenAuthentication(JWTAuthentication):
    """simplejwt's bearer authentication, with answers a client can act on: an expired
    token says so in `detail`, and a signed token naming no usable user id is a 401, not a
    database error."""

    def get_validated_token(self, raw_token: bytes) -> Token:
        return read_token(AccessToken, raw_token, expired_message=ACCESS_EXPIRED_MESSAGE)

    def get_user(self, validated_token: Token) -> User:
        if parse_user_id(validated_token.get(api_settings.USER_ID_CLAIM)) is None:
            raise InvalidToken("Token contained no recognizable user identification")
        return super().get_user(validated_token)
