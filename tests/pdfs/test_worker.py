"""A render through a real Celery worker process (`celery -A config worker`), as deployed:
the broker is the machine's Redis, the worker shares the test's database and S3 (moto's
server), and the task is queued by the service when a public résumé changes.

Needs Redis (WORKER_TEST_REDIS_URL, a database this module flushes; default db 9): without
it the test is skipped, and fails under CI.
"""

import io
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from django.test import TestCase
from pypdf import PdfReader

from config.celery import app
from pdfs.models import ResumePDF
from resumes.models import Resume
from resumes.services import resume_create
from tests.pdfs.conftest import CONTENT
from tests.support.celery import broker
from tests.support.faults import database_for_servers, database_url
from tests.support.images import image_file
from tests.support.processes import celery_worker, wait_for

REDIS = os.environ.get("WORKER_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
MAX_TASKS_PER_CHILD = 7

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The worker consumes every task in its Redis database, which the test flushes.
    pytest.mark.xdist_group("celery-worker"),
    pytest.mark.parametrize("bucket", ["moto"], indirect=True),
]


@pytest.fixture
def redis_database() -> Iterator[None]:
    client = redis.Redis.from_url(REDIS, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        reason = f"Redis ({REDIS}) is not reachable: {exc}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    client.flushdb()
    yield
    client.flushdb()


@dataclass
class Worker:
    process: object
    log: Path


@pytest.fixture
def worker(redis_database, bucket, settings, tmp_path) -> Iterator[Worker]:
    storage = settings.STORAGES["default"]["OPTIONS"]
    with database_for_servers(tmp_path) as database, broker(settings, REDIS):
        env = {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database_url(database),
            "CELERY_BROKER_URL": REDIS,
            "CELERY_WORKER_MAX_TASKS_PER_CHILD": str(MAX_TASKS_PER_CHILD),
            "AWS_STORAGE_BUCKET_NAME": storage["bucket_name"],
            "AWS_S3_ENDPOINT_URL": storage["endpoint_url"],
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_S3_REGION_NAME": storage["region_name"],
            "AWS_ACCESS_KEY_ID": storage["access_key"],
            "AWS_SECRET_ACCESS_KEY": storage["secret_key"],
        }
        log = tmp_path / "worker.log"
        with celery_worker(env, log) as process:
            yield Worker(process, log)


def test_a_public_resumes_pdf_is_rendered_by_a_worker(user, bucket, worker):
    with TestCase.captureOnCommitCallbacks(execute=True):
        resume = resume_create(
            owner=user, title="Ada Lovelace", content=CONTENT, image=image_file(), is_public=True
        )

    pdf = wait_for(
        lambda: ResumePDF.objects.filter(resume=resume).first(), worker.process, worker.log
    )

    data, content_type = bucket.get(pdf.file.name)
    assert content_type == "application/pdf"
    assert data.startswith(b"%PDF-") and len(data) == pdf.size
    reader = PdfReader(io.BytesIO(data))
    assert "Analytical Engine" in reader.pages[0].extract_text()
    assert len(reader.pages[0].images) == 1  # the photo, read by the worker from S3
    images = [getattr(Resume.objects.get(), field).name for field in ("image", "image_thumbnail")]
    assert sorted(bucket.object_keys()) == sorted([pdf.file.name, *images])
    assert "Task pdfs.tasks.render_resume_pdf" in worker.log.read_text()
    # The worker takes its limits from the settings (`make worker` passes none).
    (stats,) = app.control.inspect(timeout=5).stats().values()
    assert stats["pool"]["max-tasks-per-child"] == MAX_TASKS_PER_CHILD
