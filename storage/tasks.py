"""Background work of stored files: deleting a departed account's objects, and the orphan
sweep on Celery beat's schedule (CELERY_BEAT_SCHEDULE)."""

import logging
from datetime import timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from celery import shared_task
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from storage.orphans import delete_orphans, describe_sweep

logger = logging.getLogger(__name__)


def retried_on_s3_failures(*, max_retries: int, backoff_max_seconds: int) -> dict[str, Any]:
    """Options of a task that S3 failures (storage/budget.py's S3BudgetSpent among them, a
    BotoCoreError) retry `max_retries` times, after 1, 2, 4, ... s, at most
    `backoff_max_seconds` apart (randomised)."""
    return {
        "autoretry_for": (BotoCoreError, ClientError),
        "retry_backoff": True,
        "retry_backoff_max": backoff_max_seconds,
        "retry_jitter": True,
        "max_retries": max_retries,
    }


@shared_task(
    # For about 20 hours by default; what is still left then is referenced by no row, and
    # the orphan sweep deletes it.
    **retried_on_s3_failures(
        max_retries=settings.STORAGE_DELETE_MAX_RETRIES,
        backoff_max_seconds=settings.STORAGE_DELETE_RETRY_BACKOFF_MAX_SECONDS,
    ),
    # Acknowledged when done: deletes lost with their worker run again (deleting is
    # idempotent: an object already gone is no error).
    acks_late=True,
    ignore_result=True,
)
def delete_stored_objects(names: list[str]) -> None:
    """Delete the objects `names` (their rows are gone already): an account's, once its
    deletion has committed."""
    for name in names:
        default_storage.delete(name)
    logger.info("Deleted %d stored object(s).", len(names))


@shared_task(
    **retried_on_s3_failures(
        max_retries=settings.STORAGE_DELETE_MAX_RETRIES,
        backoff_max_seconds=settings.STORAGE_DELETE_RETRY_BACKOFF_MAX_SECONDS,
    ),
    acks_late=True,
    ignore_result=True,
)
def delete_stored_prefix(prefix: str) -> None:
    """Delete every object under `prefix`: a departed account's staging area, once no direct
    upload issued to the account can land there any more (its row went with the account,
    so a late upload would be nobody's until the orphan sweep)."""
    names = [stored.name for stored in default_storage.listing(prefix)]
    for name in names:
        default_storage.delete(name)
    logger.info("Deleted %d stored object(s) under %s.", len(names), prefix)


@shared_task(acks_late=True, ignore_result=True)
def sweep_orphans(older_than_hours: float) -> None:
    """Delete the stored objects no row references, last written over `older_than_hours` ago
    (what `manage.py cleanup_orphans --delete` does)."""
    deleted = delete_orphans(timezone.now() - timedelta(hours=older_than_hours))
    logger.info(describe_sweep(deleted, deleted=True))
