"""Background work of stored files: the orphan sweep, on Celery beat's schedule
(CELERY_BEAT_SCHEDULE)."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from storage.orphans import delete_orphans, describe_sweep

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def sweep_orphans(older_than_hours: float) -> None:
    """Delete the stored objects no row references, last written over `older_than_hours` ago
    (what `manage.py cleanup_orphans --delete` does)."""
    deleted = delete_orphans(timezone.now() - timedelta(hours=older_than_hours))
    logger.info(describe_sweep(deleted, deleted=True))
