"""Account exports: asked for through the API, built by a background task into a temporary
file, stored under the account's own key, deleted EXPORT_RETENTION_HOURS later (and with
the account).

Writes follow storage/services.py's rule: the object is written before the row says the
export is ready, and deleted again if that fails or is no longer wanted (the account was
deleted, or the export given up, while it was built).
"""

import logging
import tempfile
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from exports import tasks
from exports.archive import ExportTooLarge, write_archive
from exports.attachments import EXPORT
from exports.models import AccountExport
from storage.services import delete_after_commit, delete_quietly
from users.models import User

logger = logging.getLogger(__name__)

ZIP_CONTENT_TYPE = "application/zip"
# Personal data, reachable only through short-lived links: no cache keeps a copy.
EXPORT_CACHE_CONTROL = "private, no-store"
BUILD_FAILED = "The export could not be built (the file store failed); ask for a new one."
TOO_SLOW = "Building the export took too long; ask for a new one."
NOT_QUEUED = "The export could not be started (the background workers cannot be reached)."
NEVER_FINISHED = "The export never finished; ask for a new one."
# How long a queued build may wait for a worker, beyond the longest it can run.
QUEUE_WAIT_ALLOWANCE = timedelta(hours=1)
# Expired exports deleted per transaction.
DELETE_BATCH = 500


def _pending_stale_before(now: datetime) -> datetime:
    """A pending export created before this has no build left that could finish it: every
    attempt (and the backoff before it) has had its time."""
    attempts = settings.EXPORT_MAX_RETRIES + 1
    longest = attempts * settings.EXPORT_TIME_LIMIT
    longest += settings.EXPORT_MAX_RETRIES * settings.EXPORT_RETRY_BACKOFF_MAX_SECONDS
    return now - timedelta(seconds=longest) - QUEUE_WAIT_ALLOWANCE


def _retained_until(now: datetime) -> datetime:
    return now + timedelta(hours=settings.EXPORT_RETENTION_HOURS)


def export_fail(*, export_id: int, problem: str) -> None:
    """Record why a pending export failed; it is kept (to say so) until it expires."""
    now = timezone.now()
    AccountExport.objects.filter(pk=export_id, status=AccountExport.Status.PENDING).update(
        status=AccountExport.Status.FAILED, problem=problem, expires_at=_retained_until(now)
    )


def _fail_stale(exports: QuerySet[AccountExport], now: datetime) -> None:
    exports.filter(
        status=AccountExport.Status.PENDING, created_at__lt=_pending_stale_before(now)
    ).update(
        status=AccountExport.Status.FAILED, problem=NEVER_FINISHED, expires_at=_retained_until(now)
    )


def _enqueue_build(export_id: int) -> None:
    try:
        tasks.build_account_export.delay(export_id)
    except BrokerError:
        export_fail(export_id=export_id, problem=NOT_QUEUED)
        raise
    except Exception:
        # Only where tasks run in-process (no broker): the build ran here and failed, and no
        # worker will retry it. The request that asked has committed: it answers with the
        # export, failed.
        logger.exception("Export %s failed", export_id)
        export_fail(export_id=export_id, problem=BUILD_FAILED)


def export_request(*, user: User) -> AccountExport:
    """A new export of the user's data, built in the background once this commits; the
    pending one instead, if there is one (one at a time)."""
    _fail_stale(user.exports.all(), timezone.now())
    pending = user.exports.filter(status=AccountExport.Status.PENDING).first()
    if pending is not None:
        return pending
    try:
        with transaction.atomic():
            export = AccountExport.objects.create(user=user)
    except IntegrityError:
        # A concurrent request created one first (export_one_pending_per_user); it may even
        # be built already.
        return user.exports.filter(status=AccountExport.Status.PENDING).first() or (
            user.exports.first()
        )
    transaction.on_commit(lambda: _enqueue_build(export.pk))
    return export


def _mark_ready(export_id: int, name: str) -> AccountExport | None:
    """Point the pending export at `name`; None when it is no longer pending (its account
    was deleted, or it was given up, meanwhile). Its row lock orders this against the
    account's deletion, which reads export names under the same lock."""
    export = (
        AccountExport.objects.select_for_update()
        .filter(pk=export_id, status=AccountExport.Status.PENDING)
        .first()
    )
    if export is None:
        return None
    export.file.name = name
    export.status = AccountExport.Status.READY
    export.expires_at = _retained_until(timezone.now())
    export.save(update_fields=["file", "status", "expires_at"])
    return export


def export_build_and_store(*, export_id: int) -> AccountExport | None:
    """Build the pending export `export_id`, store it and mark it ready; idempotent. None
    when there is nothing to build (built already, failed, expired, or its account is gone):
    then nothing written is left behind. An export over EXPORT_MAX_BYTES fails, saying so,
    and nothing is stored."""
    export = (
        AccountExport.objects.select_related("user")
        .filter(pk=export_id, status=AccountExport.Status.PENDING)
        .first()
    )
    if export is None:
        return None
    key = f"{EXPORT.prefix}/{export.user_id}/{uuid.uuid4().hex}.zip"
    with tempfile.TemporaryFile() as file:
        try:
            write_archive(export.user, file, max_bytes=settings.EXPORT_MAX_BYTES)
        except ExportTooLarge as too_large:
            export_fail(export_id=export_id, problem=str(too_large))
            return None
        name = default_storage.put_file(key, file, ZIP_CONTENT_TYPE, EXPORT_CACHE_CONTROL)
    try:
        with transaction.atomic():
            ready = _mark_ready(export_id, name)
    except BaseException:
        delete_quietly(name)
        raise
    if ready is None:
        delete_quietly(name)
    return ready


def export_delete_expired() -> int:
    """Delete the exports past their expiry (their objects after commit), and give up the
    pending ones that can no longer finish; returns how many were deleted."""
    now = timezone.now()
    _fail_stale(AccountExport.objects.all(), now)
    deleted = 0
    while True:
        with transaction.atomic():
            expired = list(
                AccountExport.objects.select_for_update()
                .filter(expires_at__lte=now)
                .values_list("pk", "file")[:DELETE_BATCH]
            )
            AccountExport.objects.filter(pk__in=[pk for pk, _ in expired]).delete()
            delete_after_commit([name for _, name in expired])
        deleted += len(expired)
        if len(expired) < DELETE_BATCH:
            return deleted
