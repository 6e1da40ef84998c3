"""The export's background task: retries on S3 failures, then fails saying so; a time limit."""

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.storage import default_storage
from django.test import TestCase

from exports import services
from exports.models import AccountExport
from exports.services import export_request
from exports.tasks import build_account_export
from tests.exports.conftest import EXPORTS, detail
from tests.support.faults import failing_s3
from tests.support.s3 import point_storage_at
from tests.support.uploads import image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(api, user, bucket) -> AccountExport:
    """alice, with a résumé with a photo, and a pending export of hers whose build has not run."""
    api.post("/api/resumes/", {"title": "Photo", "image": image_upload()}, format="multipart")
    with TestCase.captureOnCommitCallbacks(execute=False):
        return export_request(user=user)


def test_a_build_failing_on_s3_is_retried_then_fails_saying_so(
    pending, bucket, settings, monkeypatch
):
    monkeypatch.setattr(build_account_export, "max_retries", 2)
    settings.CELERY_TASK_EAGER_PROPAGATES = False  # each retry's own run would raise
    reads: list[str] = []

    with failing_s3(503, "SlowDown") as url:
        point_storage_at(settings, url)
        events = default_storage.connection.meta.client.meta.events
        events.register("before-call.s3.GetObject", lambda **kwargs: reads.append("get"))
        # As a worker runs it: a retry is the task run again, with the error kept at the end.
        result = build_account_export.apply(args=[pending.pk], throw=False)

    assert result.failed()
    assert len(reads) == 3  # the first attempt and two retries
    pending.refresh_from_db()
    assert (pending.status, pending.problem) == ("failed", services.BUILD_FAILED)
    assert not [key for key in bucket.object_keys() if key.startswith("exports/")]


def test_in_process_a_build_failing_on_s3_answers_with_the_failed_export(api, user, settings):
    with failing_s3(503, "SlowDown") as url:
        point_storage_at(settings, url)
        started = api.post(EXPORTS)

    assert started.status_code == 202
    failed = api.get(detail(started.json()["id"])).json()
    assert (failed["status"], failed["problem"]) == ("failed", services.BUILD_FAILED)


def test_a_build_over_its_soft_time_limit_gives_up_and_leaves_nothing(pending, bucket, monkeypatch):
    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(services, "write_archive", too_slow)

    result = build_account_export.apply(args=[pending.pk])

    assert result.successful()
    pending.refresh_from_db()
    assert (pending.status, pending.problem) == ("failed", services.TOO_SLOW)
    assert not [key for key in bucket.object_keys() if key.startswith("exports/")]


def test_the_build_is_acknowledged_when_done_and_bounded_in_time(settings):
    assert build_account_export.acks_late
    assert build_account_export.soft_time_limit == settings.EXPORT_SOFT_TIME_LIMIT
    assert build_account_export.time_limit == settings.EXPORT_TIME_LIMIT
    assert build_account_export.soft_time_limit < build_account_export.time_limit
