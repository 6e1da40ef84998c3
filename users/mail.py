"""Sending an account e-mail from a request: queued once the request's transaction commits."""

from typing import Any

from django.db import transaction

from users.emails import ACCOUNT_EMAILS


def send_after_commit(
    kind: str, *, to: str, user_id: int | None = None, context: dict[str, Any] | None = None
) -> None:
    """Queue message `kind` (users.emails.ACCOUNT_EMAILS) to `to` once the transaction
    commits; `user_id`'s account is read when it is sent. Robust: a broker that cannot be
    reached is logged by Django, and the request that changed the account still succeeds."""
    from users.tasks import send_account_email

    if kind not in ACCOUNT_EMAILS:
        raise ValueError(f"No account e-mail is called {kind!r}.")

    def send() -> None:
        send_account_email.apply_async(
            args=(kind, to, user_id, context or {}),
            # Celery logs a task's arguments: addresses stay out of the logs.
            argsrepr=repr((kind, "<address>", user_id)),
        )

    # A function, not a functools.partial: Django logs a robust callback's failure by its
    # __qualname__, which a partial lacks (the AttributeError would then fail the request).
    transaction.on_commit(send, robust=True)
