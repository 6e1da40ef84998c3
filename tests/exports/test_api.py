"""The export endpoints: ask for an export, follow it until it is ready, download it."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.utils import timezone

from exports.models import AccountExport
from tests.exports.conftest import EXPORTS, detail, opened
from tests.support.accounts import limit_rates
from tests.support.api import client_for
from tests.support.celery import broker
from tests.support.faults import closed_port_url

pytestmark = pytest.mark.django_db

KEYS = {"id", "status", "created_at", "expires_at", "download_url", "problem"}


def test_an_export_is_pending_then_ready_with_a_download_link(api, user, bucket, settings):
    started = api.post(EXPORTS)

    assert started.status_code == 202
    body = started.json()
    assert set(body) == KEYS
    assert body | {"id": None, "created_at": None} == {
        "id": None,
        "status": "pending",
        "created_at": None,
        "expires_at": None,
        "download_url": None,
        "problem": None,
    }
    ready = api.get(detail(body["id"])).json()
    export = AccountExport.objects.get()
    assert ready["status"] == "ready"
    assert ready["problem"] is None
    retention = timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    assert timezone.now() < export.expires_at <= timezone.now() + retention
    link = urlsplit(ready["download_url"])
    query = parse_qs(link.query)
    assert link.path.endswith(f"/{export.file.name}")
    filename = f"resume-export-alice-{export.created_at:%Y%m%d}.zip"
    assert query["response-content-disposition"] == [f'attachment; filename="{filename}"']
    assert query["response-content-type"] == ["application/zip"]
    assert query["X-Amz-Expires"] == [str(settings.EXPORT_URL_EXPIRE_SECONDS)]
    assert "profile.json" in opened(bucket, export).namelist()


@pytest.mark.s3_server
def test_the_link_downloads_the_zip_as_an_attachment(api, bucket):
    export_id = api.post(EXPORTS).json()["id"]
    url = api.get(detail(export_id)).json()["download_url"]
    export = AccountExport.objects.get()

    download = requests.get(url, timeout=10)

    assert download.status_code == 200
    assert download.content == bucket.get(export.file.name)[0]
    assert download.headers["Content-Type"] == "application/zip"
    assert re.fullmatch(
        r'attachment; filename="resume-export-alice-\d{8}\.zip"',
        download.headers["Content-Disposition"],
    )


def test_one_export_at_a_time(api, bucket, queue):
    first = api.post(EXPORTS)
    second = api.post(EXPORTS)

    assert (first.status_code, second.status_code) == (202, 202)
    assert second.json() == first.json()
    assert len(queue.take()) == 1
    assert AccountExport.objects.count() == 1


def test_a_new_export_may_be_asked_for_once_the_last_is_done(api, bucket):
    first = api.post(EXPORTS).json()
    second = api.post(EXPORTS).json()

    assert second["id"] != first["id"]
    assert [row["id"] for row in api.get(EXPORTS).json()] == [second["id"], first["id"]]


def test_the_list_holds_mine_newest_first_and_not_the_expired(api, user, other_user, bucket):
    old = api.post(EXPORTS).json()["id"]
    new = api.post(EXPORTS).json()["id"]
    expired = api.post(EXPORTS).json()["id"]
    AccountExport.objects.filter(pk=expired).update(expires_at=timezone.now())
    client_for(other_user).post(EXPORTS)

    listed = api.get(EXPORTS)

    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()] == [new, old]
    assert all(set(row) == KEYS and row["status"] == "ready" for row in listed.json())
    assert api.get(detail(expired)).status_code == 404


def test_another_users_export_is_a_404(api, other_user, bucket):
    theirs = client_for(other_user).post(EXPORTS).json()["id"]

    response = api.get(detail(theirs))

    assert response.status_code == 404
    assert response.json() == {"detail": "No AccountExport matches the given query."}


def test_exports_are_limited_per_account(api, other_user, bucket, monkeypatch):
    limit_rates(monkeypatch, export="2/day")

    answers = [api.post(EXPORTS).status_code for _ in range(3)]

    assert answers == [202, 202, 429]
    assert api.get(EXPORTS).status_code == 200  # reading is not limited
    assert client_for(other_user).post(EXPORTS).status_code == 202


@pytest.mark.django_db(transaction=True)  # the build is queued when the export's row commits
def test_a_broker_out_of_reach_is_a_503_and_the_export_failed(api, bucket, settings):
    with broker(settings, f"redis://{urlsplit(closed_port_url()).netloc}/0"):
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0}
        response = api.post(EXPORTS)
        again = api.post(EXPORTS)  # not answered with a pending one that never starts

    assert (response.status_code, again.status_code) == (503, 503)
    assert "background workers" in response.json()["detail"]
    exports = AccountExport.objects.all()
    assert [export.status for export in exports] == [AccountExport.Status.FAILED] * 2
    assert all("could not be started" in export.problem for export in exports)


def test_on_local_disk_the_export_is_a_file_served_from_media(api, local_disk):
    export_id = api.post(EXPORTS).json()["id"]

    ready = api.get(detail(export_id)).json()

    export = AccountExport.objects.get()
    assert ready["download_url"] == f"http://testserver/media/{export.file.name}"
    assert (local_disk / export.file.name).is_file()


def test_the_operations_are_documented(api):
    paths = api.get("/swagger.json").json()["paths"]

    assert set(paths["/exports/"]) >= {"get", "post"}
    assert paths["/exports/"]["post"]["tags"] == ["exports"]
    assert set(paths["/exports/"]["post"]["responses"]) == {"202", "401", "429", "503"}
    assert set(paths["/exports/{export_id}/"]["get"]["responses"]) == {"200", "401", "404"}
