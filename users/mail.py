"""Sending an account e-mail from a request: queued once the request's transaction commits."""

import logging
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from users.emails import ACCOUNT_EMAILS
from users.selectors import address_digest

logger = logging.getLogger(__name__)

# Messages anyone can have sent to any address (by signing up with it, asking for a reset or
# a new link, or moving an account of their own to it): each address gets at most
# ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR of them. The others answer something the account's
# owner did, with its password, and always go.
UNSOLICITED = frozenset(
    {"verify_email", "email_taken_notice", "password_reset", "email_change_confirm"}
)


def within_mail_budget(address: str) -> bool:
    """Count one unsolicited message to `address` in this hour; False once the address has
    had its budget. Requests still answer alike: nobody learns whether a mail went out."""
    key = f"account-mail:{address_digest(address)}:{int(time.time() // 3600)}"
    cache.add(key, 0, timeout=3600)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=3600)
        sent = 1
    return sent <= settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR


def send_after_commit(
    kind: str, *, to: str, user_id: int | None = None, context: dict[str, Any] | None = None
) -> None:
    """Queue message `kind` (users.emails.ACCOUNT_EMAILS) to `to` once the transaction
    commits; `user_id`'s account is read when it is sent. Robust: a broker that cannot be
    reached is logged by Django, and the request that changed the account still succeeds."""
    from users.tasks import send_account_email

    if kind not in ACCOUNT_EMAILS:
        raise ValueError(f"No account e-mail is called {kind!r}.")
    if kind in UNSOLICITED and not within_mail_budget(to):
        logger.warning("An address had its hour's account e-mails: %s e-mail not sent", kind)
        return

    def send() -> None:
        send_account_email.apply_async(
            args=(kind, to, user_id, context or {}),
            # Celery logs a task's arguments: addresses stay out of the logs.
            argsrepr=repr((kind, "<address>", user_id)),
        )

    # A function, not a functools.partial: Django logs a robust callback's failure by its
    # __qualname__, which a partial lacks (the AttributeError would then fail the request).
    transaction.on_commit(send, robust=True)
