"""Background work of accounts: sending their e-mails, on Celery workers (or in-process
without a broker)."""

import logging
import smtplib
from typing import Any

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from users.emails import ACCOUNT_EMAILS
from users.models import User

logger = logging.getLogger(__name__)


def refused_for_good(error: OSError) -> bool:
    """Whether the mail server refused the message with a permanent (5xx) reply: sending it
    again would be refused again. Anything else (4xx, a timeout, no connection) may pass
    later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


@shared_task(
    bind=True,
    max_retries=settings.EMAIL_SEND_MAX_RETRIES,
    acks_late=True,
    ignore_result=True,
)
def send_account_email(
    self: Task, kind: str, to: str, user_id: int | None, context: dict[str, Any]
) -> None:
    """Send message `kind` to `to`. A message about an account is built from the account as
    it is now (its links hold tokens for its current state); if the account is gone, so is
    the reason to write. A failure that may pass is retried after 1, 2, 4, ... s (at most
    EMAIL_SEND_RETRY_BACKOFF_MAX_SECONDS, randomised); in-process (no broker) it is only
    logged, since a retry there would hold up the request that sent it."""
    message_context = dict(context)
    if user_id is not None:
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            logger.info("Account %s is gone: %s e-mail not sent", user_id, kind)
            return
        message_context["user"] = user
    try:
        ACCOUNT_EMAILS[kind](context=message_context).send(to=[to])
    except OSError as error:  # smtplib's errors, timeouts and refused connections
        if refused_for_good(error) or self.request.is_eager:
            logger.error("The %s e-mail could not be sent: %s", kind, error)
            return
        countdown = get_exponential_backoff_interval(
            factor=1,
            retries=self.request.retries,
            maximum=settings.EMAIL_SEND_RETRY_BACKOFF_MAX_SECONDS,
            full_jitter=True,
        )
        raise self.retry(exc=error, countdown=countdown) from error
