"""Building, storing and expiring exports (exports/services.py), and what happens to one
whose account goes while it is built."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from exports import services
from exports.attachments import EXPORT
from exports.models import AccountExport
from exports.services import export_build_and_store, export_delete_expired, export_request
from exports.tasks import delete_expired_exports
from storage.tasks import sweep_orphans
from tests.factories import UserFactory
from tests.support.uploads import image_upload
from users.deletion import account_delete
from users.models import User

pytestmark = pytest.mark.django_db


def export_keys(bucket) -> list[str]:
    return [key for key in bucket.object_keys() if key.startswith("exports/")]


def requested(user) -> AccountExport:
    """A pending export of `user`, its build not run."""
    with TestCase.captureOnCommitCallbacks(execute=False):
        return export_request(user=user)


def built(user) -> AccountExport:
    with TestCase.captureOnCommitCallbacks(execute=True):
        export = export_request(user=user)
    export.refresh_from_db()
    return export


def test_an_export_over_the_limit_fails_saying_so_and_stores_nothing(api, user, bucket, settings):
    api.post("/api/resumes/", {"title": "Photo", "image": image_upload()}, format="multipart")
    settings.EXPORT_MAX_BYTES = 500

    export = built(user)

    assert export.status == AccountExport.Status.FAILED
    assert "more than 500 bytes" in export.problem
    assert "EXPORT_MAX_BYTES" in export.problem
    assert not export.file
    assert export.expires_at is not None
    assert export_keys(bucket) == []


def test_a_build_is_idempotent(user, bucket):
    export = requested(user)

    first = export_build_and_store(export_id=export.pk)
    again = export_build_and_store(export_id=export.pk)

    assert first.status == AccountExport.Status.READY
    assert again is None
    assert export_keys(bucket) == [first.file.name]


def test_of_two_builds_of_one_export_one_object_is_kept(user, bucket, monkeypatch):
    """A build delivered twice (a worker lost, its task run again) while the first runs."""
    export = requested(user)
    real = services.write_archive
    inner = []

    def and_meanwhile_another_build(*args, **kwargs):
        real(*args, **kwargs)
        if not inner:
            inner.append(None)
            inner[0] = export_build_and_store(export_id=export.pk)

    monkeypatch.setattr(services, "write_archive", and_meanwhile_another_build)

    outer = export_build_and_store(export_id=export.pk)

    assert outer is None
    export.refresh_from_db()
    assert export.file.name == inner[0].file.name
    assert export_keys(bucket) == [export.file.name]


def test_an_account_deleted_while_its_export_is_built_leaves_no_object(user, bucket, monkeypatch):
    export = requested(user)
    real = services.write_archive

    def and_meanwhile_the_account_goes(*args, **kwargs):
        real(*args, **kwargs)
        with TestCase.captureOnCommitCallbacks(execute=True):
            account_delete(user=User.objects.get(pk=user.pk))

    monkeypatch.setattr(services, "write_archive", and_meanwhile_the_account_goes)

    assert export_build_and_store(export_id=export.pk) is None
    assert not AccountExport.objects.exists()
    assert export_keys(bucket) == []


def test_a_failed_row_write_deletes_the_stored_export(user, bucket, monkeypatch):
    export = requested(user)

    def refuse(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "_mark_ready", refuse)

    with pytest.raises(RuntimeError):
        export_build_and_store(export_id=export.pk)
    assert export_keys(bucket) == []


def test_expired_exports_go_with_their_objects_and_others_stay(user, other_user, bucket):
    expired = built(user)
    failed = requested(user)
    services.export_fail(export_id=failed.pk, problem="broken")
    kept = built(other_user)
    AccountExport.objects.filter(pk__in=[expired.pk, failed.pk]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    with TestCase.captureOnCommitCallbacks(execute=True):
        delete_expired_exports.apply()

    assert list(AccountExport.objects.all()) == [kept]
    assert export_keys(bucket) == [kept.file.name]


def test_the_hourly_cleanup_is_on_beats_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["delete-expired-exports"]

    assert entry["task"] == delete_expired_exports.name
    assert entry["schedule"] == timedelta(hours=1)


def test_an_expired_exports_object_is_an_orphan_for_the_sweep(user, other_user, bucket):
    expired = built(user)
    kept = built(other_user)
    AccountExport.objects.filter(pk=expired.pk).update(expires_at=timezone.now())

    sweep_orphans.apply(kwargs={"older_than_hours": 0})

    assert export_keys(bucket) == [kept.file.name]
    assert sorted(EXPORT.referenced_names()) == [kept.file.name]


def test_a_pending_export_that_cannot_finish_any_more_is_given_up(user, bucket, settings):
    stuck = requested(user)
    longest = (settings.EXPORT_MAX_RETRIES + 1) * settings.EXPORT_TIME_LIMIT + (
        settings.EXPORT_MAX_RETRIES * settings.EXPORT_RETRY_BACKOFF_MAX_SECONDS
    )
    waiting = timedelta(seconds=longest) + services.QUEUE_WAIT_ALLOWANCE
    AccountExport.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - waiting)
    recent = requested(UserFactory())

    new = requested(user)

    stuck.refresh_from_db()
    assert new.pk != stuck.pk
    assert (stuck.status, stuck.problem) == (AccountExport.Status.FAILED, services.NEVER_FINISHED)
    recent.refresh_from_db()
    assert recent.status == AccountExport.Status.PENDING


def test_expiry_counts_from_the_build(user, bucket, settings):
    export = built(user)

    retention = timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    assert export.created_at + retention <= export.expires_at <= timezone.now() + retention
    assert export_delete_expired() == 0
