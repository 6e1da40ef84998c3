"""Celery with a broker in the tests, which otherwise run every task in-process (no broker)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from config.celery import app


def _forget_broker_connections() -> None:
    # The app keeps its broker connections (and producers) once made; made for another
    # broker URL, they would outlive the settings that named it. Forgotten, not closed:
    # kombu's shared producer pools may still hold the connections it made before.
    app._after_fork()


@contextmanager
def broker(settings: Any, url: str) -> Iterator[None]:
    """Tasks are sent to the broker at `url` (nothing runs in-process) inside the block;
    `settings`: pytest-django's fixture, which restores the settings after the test."""
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _forget_broker_connections()
    try:
        yield
    finally:
        _forget_broker_connections()


@dataclass(frozen=True)
class QueuedTask:
    name: str
    args: list
    eta: str | None = None  # when a worker may run it (ISO 8601), for a delayed task


class MemoryQueue:
    """The default queue of kombu's in-memory broker: what was sent, run as a worker would."""

    QUEUE = "celery"

    def take(self) -> list[QueuedTask]:
        """Every queued task, removed from the queue."""
        taken = []
        with app.connection_for_read() as connection:
            queue = connection.SimpleQueue(self.QUEUE)
            while queue.qsize():
                message = queue.get(timeout=1)
                args, _kwargs, _embed = message.payload
                headers = message.headers
                taken.append(QueuedTask(headers["task"], args, headers.get("eta")))
                message.ack()
            queue.close()
        return taken

    def run(self) -> list[QueuedTask]:
        """Run every queued task (raising what it raises); returns them."""
        taken = self.take()
        for task in taken:
            app.tasks[task.name].apply(args=task.args, throw=True)
        return taken
