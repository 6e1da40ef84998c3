"""Profile rules (profiles/services.py), called directly."""

import pytest

from profiles.models import Profile
from profiles.services import create_profile_for_new_user, profile_update
from tests.factories import UserFactory
from users.models import User

pytestmark = pytest.mark.django_db


def test_profile_exists_for_every_new_user():
    user = UserFactory(username="carol")

    assert Profile.objects.get(user=user).display_name == ""


def test_updating_a_profile_saves_the_given_fields_and_keeps_the_avatar(user, bucket):
    profile = user.profile

    profile_update(profile, bio="Builds APIs.", location="Lisbon")

    stored = Profile.objects.get(user=user)
    assert (stored.bio, stored.location, stored.display_name) == ("Builds APIs.", "Lisbon", "")
    assert not stored.avatar
    assert bucket.object_keys() == []


def test_a_user_created_from_a_fixture_gets_no_profile():
    # Loading a fixture (raw) must not create a second profile when the fixture has one.
    create_profile_for_new_user(sender=User, instance=UserFactory.build(), created=True, raw=True)

    assert not Profile.objects.exists()
