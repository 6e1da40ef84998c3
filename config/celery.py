"""The Celery application: background work (PDF rendering, the orphan sweep).

Its settings are Django's `CELERY_*` settings. Without a broker (CELERY_BROKER_URL or
REDIS_URL) tasks run in the calling process, so `make run` needs nothing but Python.
"""

import os

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("resume_api")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def refuse_to_work_without_a_broker(**kwargs: object) -> None:
    """Without a broker the web processes run tasks themselves and a worker would take them
    from Celery's default broker (AMQP on localhost), where nothing is ever queued: stop.
    (SystemExit: Celery logs and ignores other errors of signal handlers.)"""
    if app.conf.task_always_eager:
        raise SystemExit(
            "No broker: set REDIS_URL or CELERY_BROKER_URL, for the worker and the web processes "
            "alike. Without one, tasks run in the web processes and no worker is needed."
        )
