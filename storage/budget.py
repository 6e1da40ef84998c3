"""A time budget for the S3 calls of one request, so that a hanging S3 cannot outlast the
worker.

botocore bounds one attempt (connect and read timeouts) and the number of attempts, but not
their sum, nor the sum over the several calls a request makes (a claim reads, writes twice
and deletes; a DELETE deletes two objects after its commit). An S3 that accepts connections
and never answers then holds the worker until gunicorn kills it mid-request (its HTML 500,
after the DELETE had committed). Here every request gets AWS_S3_REQUEST_BUDGET_SECONDS from
its start: each attempt's read timeout is cut to what is left, and once it is spent no
attempt, retry or backoff starts: the call fails with `S3BudgetSpent` (a BotoCoreError, so a
503 like any S3 failure; a post-commit delete leaves its object to `cleanup_orphans`).

An attempt started just before the deadline may still take its connect timeout, and a
backoff sleep botocore started before it may end after it: `worst_case_seconds` bounds both,
and settings refuse to start when that bound does not fit in the worker timeout.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from botocore.exceptions import BotoCoreError
from botocore.hooks import HierarchicalEmitter

# Time the worker needs besides S3 (image work is bounded to 2 s of CPU, then the database
# and the response), kept free below the worker timeout.
WORKER_MARGIN_SECONDS = 5
# botocore's standard retry mode: a backoff is at most min(1 s * 2 ** (attempt - 1), 20 s)
# for throttling errors, raised by up to 5 s more by an x-amz-retry-after header.
_MAX_BACKOFF, _RETRY_AFTER_EXTRA = 20, 5

_deadline: ContextVar[float | None] = ContextVar("s3_deadline", default=None)


class S3BudgetSpent(BotoCoreError):
    fmt = "This request's time for S3 calls ({budget} s) is spent; S3 is too slow to answer."


def max_backoff_seconds(max_attempts: int) -> float:
    """The longest sleep botocore's standard retry mode takes before an attempt."""
    if max_attempts < 2:
        return 0
    return min(2 ** (max_attempts - 2), _MAX_BACKOFF) + _RETRY_AFTER_EXTRA


def worst_case_seconds(*, budget: float, connect_timeout: float, max_attempts: int) -> float:
    """The longest a request's S3 calls can take, from the request's start."""
    return budget + max(connect_timeout, max_backoff_seconds(max_attempts))


def check_budget(
    *, budget: float, connect_timeout: float, max_attempts: int, worker_timeout: float
) -> str | None:
    """Why this configuration can outlast the worker, or None."""
    if budget <= 0:
        return f"AWS_S3_REQUEST_BUDGET_SECONDS must be positive (it is {budget})."
    worst = worst_case_seconds(
        budget=budget, connect_timeout=connect_timeout, max_attempts=max_attempts
    )
    if worst + WORKER_MARGIN_SECONDS > worker_timeout:
        return (
            f"S3 calls can take up to {worst:g} s per request (AWS_S3_REQUEST_BUDGET_SECONDS="
            f"{budget:g}, plus at most max(AWS_S3_CONNECT_TIMEOUT={connect_timeout:g}, the "
            f"{max_backoff_seconds(max_attempts):g} s retry backoff of AWS_S3_MAX_ATTEMPTS="
            f"{max_attempts}) after it), which with {WORKER_MARGIN_SECONDS} s for the rest of "
            f"the request does not fit in GUNICORN_TIMEOUT={worker_timeout:g}: lower the budget, "
            "the connect timeout or the attempts, or raise GUNICORN_TIMEOUT."
        )
    return None


@contextmanager
def request_budget(seconds: float) -> Iterator[None]:
    """S3 calls made inside the block end within `seconds` of its start (see above)."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def _remaining() -> float | None:
    deadline = _deadline.get()
    return None if deadline is None else deadline - time.monotonic()


def _budget_spent() -> S3BudgetSpent:
    from django.conf import settings

    return S3BudgetSpent(budget=settings.AWS_S3_REQUEST_BUDGET_SECONDS)


def _before_send(request: Any, **kwargs: Any) -> None:
    remaining = _remaining()
    if remaining is None:
        return
    if remaining <= 0:
        raise _budget_spent()
    configured = request.context.get("client_config")
    read_timeout = getattr(configured, "read_timeout", None) or remaining
    # botocore 1.44+ reads a per-attempt read timeout from the request's context.
    request.context["read_timeout"] = min(read_timeout, remaining)


def _before_retry(caught_exception: Exception | None = None, **kwargs: Any) -> None:
    # Registered first: a failed attempt after the deadline ends the call here, without the
    # backoff sleep that botocore would take before an attempt _before_send then refuses.
    remaining = _remaining()
    if remaining is None or remaining > 0:
        return
    response = kwargs.get("response")
    status = response[0].status_code if response else None
    if caught_exception is not None or (status is not None and (status >= 500 or status == 429)):
        raise _budget_spent()


def register(events: HierarchicalEmitter) -> None:
    events.register("before-send.s3", _before_send)
    events.register_first("needs-retry.s3", _before_retry)
