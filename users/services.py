from dataclasses import dataclass

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.http import HttpRequest
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from users.models import User


class RefreshTokenSpent(Exception):
    """The refresh token was already exchanged or revoked (or was never issued here)."""


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


@transaction.atomic
def user_register(*, username: str, email: str, password: str) -> User:
    """Create an active account; its profile is created alongside (profiles app)."""
    return User.objects.create_user(username=username, email=email, password=password)


def user_log_in(*, user: User, request: HttpRequest) -> TokenPair:
    """Tokens for a user whose credentials were just checked. Django's user_logged_in signal
    updates last_login and lets django-axes clear this client's failed attempts."""
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return token_pair_issue(user=user)


def token_pair_issue(*, user: User) -> TokenPair:
    refresh = RefreshToken.for_user(user)
    return TokenPair(access=str(refresh.access_token), refresh=str(refresh))


def token_pair_rotate(*, refresh: RefreshToken, user: User) -> TokenPair:
    """Spend `refresh` and issue its successor. Of concurrent calls with the same token,
    exactly one succeeds: the check and the blacklisting happen under a lock on the token's
    row (PostgreSQL: SELECT ... FOR UPDATE; SQLite: the IMMEDIATE transaction's write lock).
    simplejwt's own rotation (TokenRefreshSerializer) checks the blacklist when it reads the
    token and blacklists later with get_or_create, so concurrent refreshes all succeed."""
    with transaction.atomic():
        outstanding = (
            OutstandingToken.objects.select_for_update()
            .filter(jti=refresh[api_settings.JTI_CLAIM])
            .first()
        )
        if outstanding is None or BlacklistedToken.objects.filter(token=outstanding).exists():
            raise RefreshTokenSpent
        BlacklistedToken.objects.create(token=outstanding)
        return token_pair_issue(user=user)
