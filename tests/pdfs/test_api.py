"""Downloading résumé PDFs: GET /api/resumes/<id>/pdf/ (the owner) and GET /r/<slug>/pdf/
(anyone with a public résumé's link)."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import TestCase

from pdfs.models import ResumePDF
from pdfs.selectors import pdf_ready
from resumes.models import Resume
from resumes.services import resume_create, resume_regenerate_share_slug, resume_update
from tests.support.api import APIClientCommittingRequests, client_for
from tests.support.celery import QueuedTask, broker
from tests.support.faults import closed_port_url
from tests.support.s3 import point_storage_at

pytestmark = pytest.mark.django_db

ATTACHMENT = 'attachment; filename="ada-lovelace-analyst.pdf"'


def owner_pdf(resume) -> str:
    return f"/api/resumes/{resume.pk}/pdf/"


def public_pdf(resume) -> str:
    return f"/r/{resume.share_slug}/pdf/"


def pdf_keys(bucket) -> list[str]:
    return [key for key in bucket.object_keys() if key.startswith("pdfs/")]


def make_public(resume):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return resume_update(resume, is_public=True)


def assert_download(response, resume, settings) -> dict[str, list[str]]:
    """A redirect to the stored PDF of the résumé as it is now, as an attachment; returns
    the target's query."""
    assert response.status_code == 302, response.content
    pdf = pdf_ready(resume=resume, theme=resume.theme)
    assert pdf is not None
    target = urlsplit(response["Location"])
    query = parse_qs(target.query)
    assert target.path.endswith(f"/{pdf.file.name}")
    assert query["response-content-disposition"] == [ATTACHMENT]
    assert query["response-content-type"] == ["application/pdf"]
    assert query["X-Amz-Expires"] == [str(settings.PDF_URL_EXPIRE_SECONDS)]
    assert response["Cache-Control"] == f"private, max-age={settings.PDF_URL_EXPIRE_SECONDS // 2}"
    return query


# --- The owner's download ----------------------------------------------------------------


def test_the_owner_is_redirected_to_the_rendered_pdf(api, resume, bucket, settings):
    response = api.get(owner_pdf(resume))

    assert_download(response, resume, settings)
    assert len(pdf_keys(bucket)) == 1


def test_a_named_theme_is_rendered(api, resume, bucket):
    response = api.get(owner_pdf(resume), {"theme": "classic"})

    assert response.status_code == 302
    assert ResumePDF.objects.get().theme == "classic"


def test_an_unknown_theme_is_refused_by_name(api, resume, bucket):
    response = api.get(owner_pdf(resume), {"theme": "neon"})

    assert response.status_code == 400
    assert response.json() == {
        "theme": [
            '"neon" is not a theme; choose one of classic, compact, modern (GET /api/themes/).'
        ]
    }
    assert pdf_keys(bucket) == []


def test_someone_elses_resume_is_not_found(other_user, resume, bucket):
    response = client_for(other_user).get(owner_pdf(resume))

    assert response.status_code == 404
    assert response.json() == {"detail": "No Resume matches the given query."}
    assert pdf_keys(bucket) == []


def test_a_token_is_needed(anon, resume):
    assert anon.get(owner_pdf(resume)).status_code == 401


def test_a_stored_pdf_in_the_resumes_theme_is_one_query(
    api, resume, bucket, settings, django_assert_num_queries
):
    rendered = api.get(owner_pdf(resume))

    with django_assert_num_queries(1):
        again = api.get(owner_pdf(resume))

    assert again.status_code == 302
    assert again["Location"] == rendered["Location"]
    assert_download(again, resume, settings)


def test_a_stored_pdf_of_another_state_is_never_served(api, resume, bucket, settings):
    api.get(owner_pdf(resume))  # rendered in-process
    stored = ResumePDF.objects.get()
    Resume.objects.filter(pk=resume.pk).update(summary="Changed behind the PDF's back.")

    with broker(settings, "memory://"):  # the new state's render waits in a queue
        response = api.get(owner_pdf(resume))

    assert response.status_code == 202
    assert ResumePDF.objects.get().fingerprint == stored.fingerprint  # there, not served


def test_a_changed_resume_gets_a_new_pdf_and_the_old_one_goes(api, resume, bucket, settings):
    first = api.get(owner_pdf(resume))
    old = ResumePDF.objects.get().file.name
    resume_update(resume, title="Ada Lovelace – Analyst, revised")

    second = api.get(owner_pdf(resume))

    assert second.status_code == 302
    new = ResumePDF.objects.get().file.name
    assert new != old
    assert first["Location"] != second["Location"]
    assert pdf_keys(bucket) == [new]


def test_a_pdf_over_the_page_limit_is_a_clear_422(api, user, bucket, settings):
    settings.PDF_MAX_PAGES = 1
    jobs = [{"name": f"Employer {n}", "summary": "Work. " * 80} for n in range(30)]
    resume = resume_create(owner=user, title="Long", content={"work": jobs})

    response = api.get(owner_pdf(resume))

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "more than 1 pages, the most allowed" in detail and "Shorten its content" in detail
    assert pdf_keys(bucket) == []


def test_the_public_link_of_a_pdf_over_the_page_limit_is_a_422_page(user, bucket, settings):
    settings.PDF_MAX_PAGES = 1
    jobs = [{"name": f"Employer {n}", "summary": "Work. " * 80} for n in range(30)]
    resume = resume_create(owner=user, title="Long", content={"work": jobs}, is_public=True)

    response = APIClientCommittingRequests().get(public_pdf(resume))

    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    assert "more than 1 pages, the most allowed" in response.content.decode()
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert pdf_keys(bucket) == []


def test_s3_down_is_a_503_and_leaves_nothing(api, resume, bucket, settings):
    healthy = settings.STORAGES
    point_storage_at(settings, closed_port_url())

    response = api.get(owner_pdf(resume))

    settings.STORAGES = healthy
    assert response.status_code == 503
    assert not ResumePDF.objects.exists()
    assert pdf_keys(bucket) == []


# --- With workers: 202 until the PDF is ready -----------------------------------------------


def test_a_pdf_not_rendered_yet_is_queued_once_and_answered_202(api, resume, bucket, queue):
    first = api.get(owner_pdf(resume))
    again = api.get(owner_pdf(resume))

    for response in (first, again):
        assert response.status_code == 202
        assert response["Retry-After"] == "3"
        assert response["Cache-Control"] == "no-store"
        assert response.json() == {"detail": "The PDF is being rendered; ask again in 3 seconds."}
    assert queue.run() == [QueuedTask("pdfs.tasks.render_resume_pdf", [resume.pk, "classic"])]
    assert api.get(owner_pdf(resume)).status_code == 302


def test_a_download_url_is_reused_while_it_has_half_its_lifetime_left(api, resume, bucket):
    # Signing is most of a cached download's work; the redirect may be cached as long anyway.
    first = api.get(owner_pdf(resume))
    time.sleep(1.1)  # a URL signed now would carry another X-Amz-Date
    second = api.get(owner_pdf(resume))

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert "response-content-disposition=attachment" in first["Location"]


def test_a_page_on_another_origin_can_read_when_to_ask_again(api, resume, queue, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]

    response = api.get(owner_pdf(resume), HTTP_ORIGIN="https://app.example")

    assert response.status_code == 202
    assert response["Access-Control-Allow-Origin"] == "https://app.example"
    assert "Retry-After" in response["Access-Control-Expose-Headers"].split(", ")


def test_a_pdf_found_too_long_by_a_worker_is_a_422_at_the_next_ask(
    api, user, bucket, queue, settings
):
    settings.PDF_MAX_PAGES = 1
    jobs = [{"name": f"Employer {n}", "summary": "Work. " * 80} for n in range(30)]
    resume = resume_create(owner=user, title="Long", content={"work": jobs})

    assert api.get(owner_pdf(resume)).status_code == 202
    queue.run()  # the worker logs the refusal: nothing to retry
    response = api.get(owner_pdf(resume))

    assert response.status_code == 422
    assert "more than 1 pages, the most allowed" in response.json()["detail"]
    assert queue.take() == []
    assert pdf_keys(bucket) == []


def test_an_unreachable_broker_is_a_503(api, resume, settings):
    with broker(settings, f"redis://{urlsplit(closed_port_url()).netloc}/0"):
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0}
        response = api.get(owner_pdf(resume))

    assert response.status_code == 503
    assert "background workers" in response.json()["detail"]


# --- The public link --------------------------------------------------------------------------


def test_anyone_with_the_link_downloads_a_public_resumes_pdf(resume, bucket, settings):
    make_public(resume)
    keys = pdf_keys(bucket)

    response = APIClientCommittingRequests().get(public_pdf(resume))

    assert_download(response, resume, settings)
    assert pdf_keys(bucket) == keys  # rendered when it was made public, not again


@pytest.mark.parametrize("link", ["private", "unknown", "replaced"])
def test_no_public_resume_behind_the_link_is_the_html_404(resume, bucket, link):
    path = public_pdf(resume)
    if link == "unknown":
        path = "/r/no-such-link/pdf/"
    if link == "replaced":
        make_public(resume)
        resume_regenerate_share_slug(resume)

    keys = pdf_keys(bucket)
    client = APIClientCommittingRequests()
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    # The public page's own answer to a link to no public résumé, byte for byte.
    assert response.content == client.get("/r/no-such-link/").content
    assert pdf_keys(bucket) == keys  # nothing rendered


def test_the_public_link_answers_a_self_refreshing_page_while_rendering(resume, bucket, queue):
    Resume.objects.filter(pk=resume.pk).update(is_public=True)  # made public, not rendered

    response = APIClientCommittingRequests().get(public_pdf(resume))

    assert response.status_code == 202
    assert response["Content-Type"].startswith("text/html")
    assert (response["Refresh"], response["Retry-After"]) == ("3", "3")
    assert "The PDF is being rendered; ask again in 3 seconds." in response.content.decode()
    assert queue.run() == [QueuedTask("pdfs.tasks.render_resume_pdf", [resume.pk, "classic"])]
    assert APIClientCommittingRequests().get(public_pdf(resume)).status_code == 302


@pytest.mark.parametrize("bucket", ["moto"], indirect=True)
def test_the_redirect_downloads_the_pdf_as_an_attachment(api, resume, bucket):
    response = api.get(owner_pdf(resume))

    download = requests.get(response["Location"], timeout=10)
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF-")
    assert download.content == bucket.get(ResumePDF.objects.get().file.name)[0]
    assert download.headers["Content-Disposition"] == ATTACHMENT
    assert download.headers["Content-Type"] == "application/pdf"
