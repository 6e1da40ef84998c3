"""Background work of PDFs, on Celery workers (or in-process without a broker)."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from pdfs import services
from pdfs.errors import PDFTooLong
from storage.tasks import retried_on_s3_failures

logger = logging.getLogger(__name__)


@shared_task(
    **retried_on_s3_failures(
        max_retries=settings.PDF_RENDER_MAX_RETRIES,
        backoff_max_seconds=settings.PDF_RENDER_RETRY_BACKOFF_MAX_SECONDS,
    ),
    # Acknowledged when done: a render lost with its worker runs again (it is idempotent).
    acks_late=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    ignore_result=True,
)
def render_resume_pdf(resume_id: int, theme: str) -> None:
    """Render and store the PDF of résumé `resume_id` in `theme` (pdf_render_and_store)."""
    try:
        services.pdf_render_and_store(resume_id=resume_id, theme=theme)
    except PDFTooLong as too_long:
        logger.info("PDF of résumé %s in %s not stored: %s", resume_id, theme, too_long)
    except SoftTimeLimitExceeded:
        # Nothing is left behind (pdf_render_and_store deletes what it wrote); a download
        # queues the render again once PDF_RENDER_ENQUEUE_WINDOW_SECONDS have passed.
        logger.warning("PDF of résumé %s in %s took too long; given up", resume_id, theme)
