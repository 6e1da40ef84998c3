"""The Celery application: background work (PDF rendering, the orphan sweep).

Its settings are Django's `CELERY_*` settings. Without a broker (CELERY_BROKER_URL or
REDIS_URL) tasks run in the calling process, so `make run` needs nothing but Python.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("resume_api")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
