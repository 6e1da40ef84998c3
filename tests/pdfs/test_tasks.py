"""The background tasks: the PDF render (retries, time limit) and the orphan sweep."""

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.storage import default_storage
from django.test import TestCase

from config.celery import app
from pdfs import services
from pdfs.models import ResumePDF
from pdfs.tasks import render_resume_pdf
from resumes.models import Resume
from resumes.services import resume_create
from storage.tasks import sweep_orphans
from tests.pdfs.conftest import CONTENT
from tests.support.faults import failing_s3
from tests.support.s3 import point_storage_at

pytestmark = pytest.mark.django_db


def test_a_render_failing_on_s3_is_retried_then_fails(user, bucket, settings, monkeypatch):
    monkeypatch.setattr(render_resume_pdf, "max_retries", 2)
    settings.CELERY_TASK_EAGER_PROPAGATES = False  # each retry's own run would raise
    resume = resume_create(owner=user, title="No photo", content=CONTENT)
    puts: list[str] = []

    with failing_s3(503, "SlowDown") as url:
        point_storage_at(settings, url)
        events = default_storage.connection.meta.client.meta.events
        events.register("before-call.s3.PutObject", lambda **kwargs: puts.append("put"))
        # As a worker runs it: a retry is the task run again, with the error kept at the end.
        result = render_resume_pdf.apply(args=[resume.pk, "classic"], throw=False)

    assert result.failed()
    assert "SlowDown" in str(result.result)
    assert len(puts) == 3  # the first attempt and two retries
    assert not ResumePDF.objects.exists()


@pytest.mark.parametrize("when", ["while rendering", "while saving the row"])
def test_a_render_over_its_soft_time_limit_gives_up_and_leaves_nothing(
    resume, bucket, monkeypatch, when
):
    target = "render_resume_html" if when == "while rendering" else "_replace_row"
    real = getattr(services, target)

    def then_the_time_is_up(*args, **kwargs):
        real(*args, **kwargs)
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(services, target, then_the_time_is_up)
    keys = bucket.object_keys()

    with TestCase.captureOnCommitCallbacks(execute=True):
        result = render_resume_pdf.apply(args=[resume.pk, "classic"])

    assert result.successful()
    assert not ResumePDF.objects.exists()
    assert bucket.object_keys() == keys


def test_the_render_is_acknowledged_when_done_and_bounded_in_time(settings):
    assert render_resume_pdf.acks_late
    assert render_resume_pdf.soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert render_resume_pdf.time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert render_resume_pdf.soft_time_limit < render_resume_pdf.time_limit


# --- The orphan sweep ---------------------------------------------------------------------


def test_the_sweep_deletes_unreferenced_pdfs_and_keeps_referenced_ones(resume, bucket):
    with TestCase.captureOnCommitCallbacks(execute=True):
        kept = services.pdf_render_and_store(resume_id=resume.pk, theme="classic").file.name
    orphan = "pdfs/0123456789abcdef0123456789abcdef.pdf"
    bucket.client.put_object(Bucket=bucket.name, Key=orphan, Body=b"%PDF-1.7 left by a crash")

    sweep_orphans.apply(kwargs={"older_than_hours": 0})

    assert orphan not in bucket.object_keys()
    assert kept in bucket.object_keys()
    assert set(bucket.object_keys()) == {
        kept,
        *(getattr(Resume.objects.get(), field).name for field in ("image", "image_thumbnail")),
    }


def test_the_sweep_leaves_recent_objects_alone(bucket):
    orphan = "pdfs/0123456789abcdef0123456789abcdef.pdf"
    bucket.client.put_object(Bucket=bucket.name, Key=orphan, Body=b"%PDF-1.7 being stored")

    sweep_orphans.apply(kwargs={"older_than_hours": 1})

    assert bucket.object_keys() == [orphan]


def test_beat_runs_the_sweep_on_the_configured_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-orphans"]

    assert entry["task"] in app.tasks
    assert entry["schedule"].total_seconds() == settings.ORPHAN_SWEEP_INTERVAL_HOURS * 3600
    assert entry["kwargs"] == {"older_than_hours": settings.ORPHAN_SWEEP_OLDER_THAN_HOURS}
