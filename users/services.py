from dataclasses import dataclass

from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from storage.errors import FieldRejected
from users.mail import send_after_commit
from users.messages import ADDRESS_TAKEN_MESSAGE, LINK_INVALID_MESSAGE
from users.models import User
from users.selectors import accounts_to_reset, address_verified_elsewhere
from users.tokens import read_email_link_token


class RefreshTokenSpent(Exception):
    """The refresh token was already exchanged or revoked (or was never issued here)."""


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


@transaction.atomic
def user_register(*, username: str, email: str, password: str) -> User:
    """Create an active account with an unverified address; its profile is created alongside
    (profiles app). The address gets the link that verifies it, or, if another account has
    verified it, a notice: the answer is the same, so registering tells nobody whether an
    address is taken."""
    user = User.objects.create_user(username=username, email=email, password=password)
    _mail_address_link(user=user, address=email, kind="verify_email")
    return user


def _mail_address_link(*, user: User, address: str, kind: str) -> None:
    """Mail `address` the link of `kind` for `user`, unless another account has verified the
    address: then its owner is told someone tried to use it, and nothing else happens."""
    if address_verified_elsewhere(address=address, user=user):
        send_after_commit("email_taken_notice", to=address, context={"address": address})
    else:
        send_after_commit(kind, to=address, user_id=user.pk, context={"new_email": address})


def verification_resend(*, email: str) -> None:
    """Mail a new verification link to the unverified accounts that have `email`."""
    for user in User.objects.filter(email__iexact=email, email_verified=False, is_active=True)[
        :_MAX_ACCOUNTS_MAILED
    ]:
        _mail_address_link(user=user, address=user.email, kind="verify_email")


# Unverified accounts may share an address; one request mails at most this many of them.
_MAX_ACCOUNTS_MAILED = 5


@transaction.atomic
def email_verify(*, user: User, token: str) -> User:
    """Mark `user`'s address verified with the token of a verification link sent to it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    link = read_email_link_token(token, purpose="verify")
    if link is None or link[0] != user.pk or not (link[1] == link[2] == user.email):
        raise FieldRejected("token", LINK_INVALID_MESSAGE)
    if user.email_verified:
        return user  # the link was opened twice: the address is verified, as it asks
    _take_address(user=user, address=user.email)
    return user


def _take_address(*, user: User, address: str) -> None:
    """Make `address` `user`'s verified address, unless another account has verified it
    meanwhile (the database refuses a second verified account with an address)."""
    if address_verified_elsewhere(address=address, user=user):
        raise FieldRejected("token", ADDRESS_TAKEN_MESSAGE)
    user.email, user.email_verified = address, True
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "email_verified"])
    except IntegrityError as conflict:
        raise FieldRejected("token", ADDRESS_TAKEN_MESSAGE) from conflict


def email_change_request(*, user: User, new_email: str) -> None:
    """Mail `new_email` the link that moves `user` to it (the account keeps its address until
    then), or its verified owner a notice: the answer is the same either way."""
    if new_email.lower() == user.email.lower():
        raise FieldRejected("new_email", "This is already your address.")
    _mail_address_link(user=user, address=new_email, kind="email_change_confirm")


@transaction.atomic
def email_change_confirm(*, token: str) -> User:
    """Move the account to the new address its link was mailed to, verified by the link;
    the old address is told."""
    link = read_email_link_token(token, purpose="change")
    user = None
    if link is not None:
        user = User.objects.select_for_update().filter(pk=link[0], is_active=True).first()
    if user is None or link[2] != user.email:
        raise FieldRejected("token", LINK_INVALID_MESSAGE)
    old_address = user.email
    _take_address(user=user, address=link[1])
    send_after_commit("email_changed", to=old_address, user_id=user.pk)
    return user


@transaction.atomic
def password_change(*, user: User, new_password: str) -> TokenPair:
    """Set a new password (the current one was checked) and log every session out: the
    answer's token pair is the only one that works afterwards."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    refresh_tokens_revoke(user=user)
    send_after_commit("password_changed", to=user.email, user_id=user.pk)
    return token_pair_issue(user=user)


def password_reset_request(*, email: str) -> None:
    """Mail a reset link to each account that may reset its password by `email`; nothing
    happens (and nothing tells) if none may."""
    for user in accounts_to_reset(email=email)[:_MAX_ACCOUNTS_MAILED]:
        send_after_commit("password_reset", to=user.email, user_id=user.pk)


@transaction.atomic
def password_reset_confirm(*, user: User, token: str, new_password: str) -> None:
    """Set a new password with a reset link's token, once: the token is checked again under
    the row's lock, so of two requests with it only the first sets a password. The link
    proved the mailbox, so an unverified address becomes verified (unless another account
    has verified it). Every session is logged out."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not default_token_generator.check_token(user, token):
        raise FieldRejected("token", LINK_INVALID_MESSAGE)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    if not user.email_verified and not address_verified_elsewhere(address=user.email, user=user):
        _take_address(user=user, address=user.email)
    refresh_tokens_revoke(user=user)
    send_after_commit("password_changed", to=user.email, user_id=user.pk)


def refresh_tokens_revoke(*, user: User) -> int:
    """Revoke every unexpired refresh token of `user` (log out everywhere); how many were
    still working. Access tokens already issued work until they expire (minutes)."""
    working = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    revoked = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in working], ignore_conflicts=True
    )
    return len(revoked)


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
