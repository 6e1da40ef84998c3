"""Background work of exports, on Celery workers (or in-process without a broker)."""

import logging
from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from exports import services
from storage.tasks import retried_on_s3_failures

logger = logging.getLogger(__name__)


class ExportBuild(Task):
    def on_failure(
        self, exc: Exception, task_id: str, args: tuple, kwargs: dict, einfo: Any
    ) -> None:
        # Retries spent, or killed at the hard time limit: the export says it failed, and
        # the account may ask for another one.
        services.export_fail(export_id=args[0], problem=services.BUILD_FAILED)


@shared_task(
    base=ExportBuild,
    **retried_on_s3_failures(
        max_retries=settings.EXPORT_MAX_RETRIES,
        backoff_max_seconds=settings.EXPORT_RETRY_BACKOFF_MAX_SECONDS,
    ),
    # Acknowledged when done: a build lost with its worker runs again (it is idempotent).
    acks_late=True,
    soft_time_limit=settings.EXPORT_SOFT_TIME_LIMIT,
    time_limit=settings.EXPORT_TIME_LIMIT,
    ignore_result=True,
)
def build_account_export(export_id: int) -> None:
    """Build and store export `export_id` (export_build_and_store)."""
    try:
        services.export_build_and_store(export_id=export_id)
    except SoftTimeLimitExceeded:
        # Nothing is left behind (export_build_and_store deletes what it wrote).
        logger.warning("Export %s took too long; given up", export_id)
        services.export_fail(export_id=export_id, problem=services.TOO_SLOW)


@shared_task(acks_late=True, ignore_result=True)
def delete_expired_exports() -> None:
    """Delete the exports past their expiry, rows and objects (Celery beat, hourly)."""
    deleted = services.export_delete_expired()
    logger.info("Deleted %d expired export(s).", deleted)
