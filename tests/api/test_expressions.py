"""api.expressions.DateTimeText: the database writes a datetime as DRF's DateTimeField does."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.test import override_settings
from rest_framework import serializers

from api.expressions import DateTimeText
from resumes.models import Resume
from tests.factories import ResumeFactory

pytestmark = pytest.mark.django_db

MOMENTS = [
    datetime(2026, 11, 29, 3, 50, 35, 123456, tzinfo=UTC),
    datetime(2026, 11, 29, 3, 50, 35, tzinfo=UTC),  # no microseconds: isoformat drops them
    datetime(2026, 11, 29, 3, 50, 35, 120000, tzinfo=UTC),  # trailing zeros are kept
    datetime(2024, 2, 29, 23, 59, 59, 1, tzinfo=UTC),
    datetime(1999, 12, 31, 22, 0, tzinfo=timezone(timedelta(hours=-5))),  # stored as UTC
]


def written(resume: Resume) -> tuple[str, str]:
    """(the database's text, DRF's text) of the résumé's updated_at, as stored."""
    row = Resume.objects.filter(pk=resume.pk).values(text=DateTimeText("updated_at")).get()
    stored = Resume.objects.get(pk=resume.pk).updated_at
    return row["text"], serializers.DateTimeField().to_representation(stored)


@pytest.mark.parametrize("moment", MOMENTS, ids=str)
def test_it_writes_what_drf_writes(moment):
    resume = ResumeFactory()
    Resume.objects.filter(pk=resume.pk).update(updated_at=moment)

    text, drf = written(resume)

    assert text == drf
    assert datetime.fromisoformat(text) == moment


@override_settings(USE_TZ=False, TIME_ZONE="Europe/Paris")
def test_without_time_zones_it_writes_the_wall_time_as_drf_does():
    resume = ResumeFactory()
    Resume.objects.filter(pk=resume.pk).update(updated_at=datetime(2026, 7, 1, 9, 30, 5, 250))

    text, drf = written(resume)

    assert text == drf == "2026-07-01T09:30:05.000250"
