"""Rendering and storing résumé PDFs (pdfs/services.py), and the résumé changes that start it."""

import io
import re
import threading

import pytest
from django.db import DatabaseError, connection
from django.test import TestCase
from pypdf import PdfReader

from pdfs import services
from pdfs.errors import PDFTooLong
from pdfs.models import ResumePDF
from pdfs.selectors import pdf_fingerprint, pdf_ready
from pdfs.services import pdf_render_and_store
from pdfs.tasks import render_resume_pdf
from resumes.attachments import RESUME_IMAGE
from resumes.models import Resume
from resumes.services import resume_create, resume_delete, resume_update
from tests.pdfs.conftest import CONTENT
from tests.support.faults import closed_port_url, failing_s3, table_rejects_writes
from tests.support.s3 import point_storage_at, stored_keys

pytestmark = pytest.mark.django_db

PDF_KEY = re.compile(r"pdfs/[0-9a-f]{32}\.pdf")


def image_keys(resume: Resume) -> list[str]:
    return stored_keys(Resume.objects.get(pk=resume.pk), RESUME_IMAGE)


def pdf_keys(bucket) -> list[str]:
    return [key for key in bucket.object_keys() if key.startswith("pdfs/")]


def stored_pdf(bucket, pdf: ResumePDF) -> PdfReader:
    """The PDF as the bucket holds it, checked against its row."""
    data, content_type = bucket.get(pdf.file.name)
    assert PDF_KEY.fullmatch(pdf.file.name)
    assert content_type == "application/pdf"
    assert data.startswith(b"%PDF-")
    assert pdf.size == len(data)
    reader = PdfReader(io.BytesIO(data))
    assert pdf.pages == len(reader.pages)
    return reader


def render(resume: Resume) -> ResumePDF | None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return pdf_render_and_store(resume_id=resume.pk, theme="classic")


def test_a_render_stores_the_pdf_with_the_photo_from_storage(resume, bucket):
    pdf = render(resume)

    assert pdf == ResumePDF.objects.get()
    assert (pdf.resume, pdf.theme) == (resume, "classic")
    assert pdf.fingerprint == pdf_fingerprint(resume, "classic")
    reader = stored_pdf(bucket, pdf)
    text = reader.pages[0].extract_text()
    assert "Ada Lovelace" in text and "Analytical Engine" in text
    assert len(reader.pages[0].images) == 1  # the photo, read from the bucket and embedded
    assert sorted(bucket.object_keys()) == sorted([*image_keys(resume), pdf.file.name])


def test_a_render_of_a_stored_state_writes_nothing(resume, bucket):
    first = render(resume)
    keys = bucket.object_keys()

    again = render(resume)

    assert again == first and again.file.name == first.file.name
    assert bucket.object_keys() == keys


def test_a_change_replaces_the_pdf_and_its_object(resume, bucket):
    old = render(resume)
    resume_update(resume, title="Countess of Lovelace")

    new = render(resume)

    assert ResumePDF.objects.get() == new and new.pk == old.pk
    assert new.file.name != old.file.name
    assert new.fingerprint != old.fingerprint
    assert pdf_keys(bucket) == [new.file.name]
    stored_pdf(bucket, new)


def test_each_theme_has_its_own_pdf(resume, bucket):
    classic = render(resume)
    with TestCase.captureOnCommitCallbacks(execute=True):
        other = pdf_render_and_store(resume_id=resume.pk, theme="modern")

    assert classic.file.name != other.file.name
    assert sorted(pdf_keys(bucket)) == sorted([classic.file.name, other.file.name])


def test_deleting_the_resume_deletes_its_pdfs(resume, bucket):
    render(resume)
    with TestCase.captureOnCommitCallbacks(execute=True):
        pdf_render_and_store(resume_id=resume.pk, theme="modern")

    with TestCase.captureOnCommitCallbacks(execute=True):
        resume_delete(resume)

    assert not ResumePDF.objects.exists()
    assert bucket.object_keys() == []


def test_a_missing_resume_renders_nothing(bucket):
    assert render(Resume(pk=999_999)) is None
    assert bucket.object_keys() == []


@pytest.mark.parametrize("change", ["edited", "deleted"])
def test_a_resume_changed_while_rendering_keeps_nothing_of_that_render(
    resume, bucket, monkeypatch, change
):
    real_render = services.render_resume_html

    def render_while_the_owner_edits(*args, **kwargs) -> str:
        html = real_render(*args, **kwargs)
        if change == "edited":
            Resume.objects.filter(pk=resume.pk).update(title="Edited meanwhile")
        else:
            Resume.objects.filter(pk=resume.pk).delete()
        return html

    monkeypatch.setattr(services, "render_resume_html", render_while_the_owner_edits)
    image = image_keys(resume)

    assert render(resume) is None

    assert not ResumePDF.objects.exists()
    assert pdf_keys(bucket) == []
    assert set(image) <= set(bucket.object_keys())


def test_a_failed_row_write_leaves_no_pdf_behind(resume, bucket):
    keys = bucket.object_keys()

    with table_rejects_writes("pdfs_resumepdf"), pytest.raises(DatabaseError):
        render(resume)

    assert bucket.object_keys() == keys


@pytest.mark.parametrize("fault", ["refused", "internal error"])
def test_a_failing_s3_leaves_nothing_behind(user, bucket, settings, fault):
    resume = resume_create(owner=user, title="No photo", content=CONTENT)
    healthy = settings.STORAGES

    if fault == "refused":
        point_storage_at(settings, closed_port_url())
        with pytest.raises(Exception, match="Could not connect"):
            render(resume)
    else:
        with failing_s3(500, "InternalError") as url:
            point_storage_at(settings, url)
            with pytest.raises(Exception, match="InternalError"):
                render(resume)

    settings.STORAGES = healthy
    assert not ResumePDF.objects.exists()
    assert bucket.object_keys() == []


def test_a_pdf_over_the_page_limit_is_refused_and_not_stored(user, bucket, settings):
    settings.PDF_MAX_PAGES = 1
    jobs = [{"name": f"Employer {n}", "summary": "Work. " * 80} for n in range(30)]
    resume = resume_create(owner=user, title="Long", content={"work": jobs})

    with pytest.raises(PDFTooLong) as refused:
        render(resume)

    assert refused.value.max_pages == 1
    assert "more than 1 pages" in str(refused.value)
    assert not ResumePDF.objects.exists()
    assert bucket.object_keys() == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_renders_of_one_state_store_one_pdf(resume, bucket):
    start = threading.Barrier(2)
    results: list[ResumePDF | None] = []

    def render_in_a_thread() -> None:
        try:
            start.wait(timeout=10)
            results.append(pdf_render_and_store(resume_id=resume.pk, theme="classic"))
        finally:
            connection.close()

    threads = [threading.Thread(target=render_in_a_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    pdf = ResumePDF.objects.get()
    assert [result.pk for result in results] == [pdf.pk, pdf.pk]
    assert pdf_keys(bucket) == [pdf.file.name]
    stored_pdf(bucket, pdf)


# --- Renders started by résumé changes ------------------------------------------------------


def test_creating_a_public_resume_renders_its_pdf(user, bucket):
    with TestCase.captureOnCommitCallbacks(execute=True):
        resume = resume_create(owner=user, title="Public", content=CONTENT, is_public=True)

    pdf = pdf_ready(resume=resume, theme=resume.theme)
    assert pdf is not None
    assert pdf_keys(bucket) == [pdf.file.name]


def test_a_private_resume_is_rendered_only_on_demand(user, bucket):
    with TestCase.captureOnCommitCallbacks(execute=True):
        resume = resume_create(owner=user, title="Private", content=CONTENT)
        resume_update(resume, title="Still private")

    assert not ResumePDF.objects.exists()
    assert bucket.object_keys() == []


def test_making_a_resume_public_and_changing_it_renders_it_again(user, bucket):
    resume = resume_create(owner=user, title="Private", content=CONTENT)

    with TestCase.captureOnCommitCallbacks(execute=True):
        resume_update(resume, is_public=True)
    first = pdf_ready(resume=resume, theme="classic")
    with TestCase.captureOnCommitCallbacks(execute=True):
        resume_update(resume, content={**CONTENT, "basics": {"name": "A. A. Lovelace"}})
    second = pdf_ready(resume=resume, theme="classic")

    assert first is not None and second is not None
    assert second.file.name != first.file.name
    assert pdf_keys(bucket) == [second.file.name]
    assert "A. A. Lovelace" in stored_pdf(bucket, second).pages[0].extract_text()


def test_a_change_is_queued_for_the_workers_once_it_commits(user, bucket, queue):
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        resume = resume_create(owner=user, title="Public", content=CONTENT, is_public=True)

    assert queue.take() == []  # nothing before the commit
    for callback in callbacks:
        callback()
    (queued,) = queue.take()
    assert (queued.name, queued.args) == ("pdfs.tasks.render_resume_pdf", [resume.pk, "classic"])


def test_a_render_that_fails_after_the_change_does_not_undo_it(
    user, bucket, settings, monkeypatch, caplog
):
    monkeypatch.setattr(render_resume_pdf, "max_retries", 0)
    resume = resume_create(owner=user, title="Public", content=CONTENT, is_public=True)
    point_storage_at(settings, closed_port_url())

    with TestCase.captureOnCommitCallbacks(execute=True):
        resume_update(resume, title="Changed while S3 is down")

    assert Resume.objects.get().title == "Changed while S3 is down"
    assert not ResumePDF.objects.exists()
    assert "Could not connect" in caplog.text
