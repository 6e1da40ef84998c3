"""Account rules, called as the views call them (users/services.py)."""

import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from profiles.models import Profile
from tests.factories import PASSWORD
from users.services import RefreshTokenSpent, token_pair_issue, token_pair_rotate, user_register

pytestmark = pytest.mark.django_db


def test_registering_creates_an_ordinary_account_with_a_profile():
    user = user_register(username="bob", email="bob@example.com", password=PASSWORD)

    user.refresh_from_db()
    assert (user.username, user.email) == ("bob", "bob@example.com")
    assert user.check_password(PASSWORD)
    assert user.password != PASSWORD
    assert user.is_active and not user.is_staff and not user.is_superuser
    assert Profile.objects.filter(user=user).exists()


def test_issued_refresh_tokens_are_recorded_for_revocation(user):
    pair = token_pair_issue(user=user)

    assert RefreshToken(pair.refresh)["user_id"] == str(user.pk)
    assert OutstandingToken.objects.filter(user=user, token=pair.refresh).exists()


def test_a_refresh_token_is_spent_by_its_first_rotation(user):
    first = RefreshToken(token_pair_issue(user=user).refresh)

    successor = token_pair_rotate(refresh=first, user=user)
    with pytest.raises(RefreshTokenSpent):
        token_pair_rotate(refresh=first, user=user)

    assert BlacklistedToken.objects.get().token.jti == first["jti"]
    # The successor is a new, unspent token.
    token_pair_rotate(refresh=RefreshToken(successor.refresh), user=user)
    assert BlacklistedToken.objects.count() == 2


def test_a_refresh_token_issued_elsewhere_cannot_be_rotated(user):
    unrecorded = RefreshToken.for_user(user)
    OutstandingToken.objects.filter(jti=unrecorded["jti"]).delete()

    with pytest.raises(RefreshTokenSpent):
        token_pair_rotate(refresh=unrecorded, user=user)
    assert not BlacklistedToken.objects.exists()
