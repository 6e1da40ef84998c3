from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request


class CredentialsInBody(BaseAuthentication):
    """For endpoints that take credentials in the body (login, refresh, register).

    It ignores any Authorization header, so a stale token cannot block a login, and it
    still names the Bearer scheme, so failed credentials answer 401 rather than 403.
    """

    def authenticate(self, request: Request) -> None:
        return None

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
