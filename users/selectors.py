import hashlib

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import QuerySet

from users.models import User


def address_verified_elsewhere(*, address: str, user: User | None = None) -> bool:
    """Whether an account other than `user` has verified `address` (ignoring case)."""
    owners = User.objects.filter(email__iexact=address, email_verified=True)
    if user is not None:
        owners = owners.exclude(pk=user.pk)
    return owners.exists()


def accounts_to_reset(*, email: str) -> QuerySet[User]:
    """The active accounts with a password that a reset mailed to `email` may reach: the one
    that verified the address if there is one (the others only claim it), else every account
    that has it unverified."""
    accounts = User.objects.filter(email__iexact=email, is_active=True).exclude(
        password__startswith=UNUSABLE_PASSWORD_PREFIX  # as Django's PasswordResetForm does
    )
    verified = accounts.filter(email_verified=True)
    return verified if verified.exists() else accounts.order_by("pk")


def address_digest(address: str) -> str:
    """One address, however it is cased or spaced, as a key that does not hold it (for
    counters in the cache)."""
    return hashlib.sha256(address.strip().lower().encode("utf-8", "replace")).hexdigest()
