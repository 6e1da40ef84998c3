"""The user table's own rules."""

import pytest

from tests.factories import PASSWORD
from users.models import User

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_username_differing_only_in_case(user):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="aLiCe", email="x@example.com", password=PASSWORD)
