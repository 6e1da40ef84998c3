"""Faults with real endpoints: an S3 server (moto's, then Ceph RGW) that goes away and comes
back on the same port, and many writers at once through a live HTTP server."""

import copy
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from botocore.config import Config as BotoConfig
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.utils import load_backend
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler, _StaticFilesHandler
from PIL import Image
from rest_framework_simplejwt.tokens import RefreshToken

from profiles.attachments import AVATAR
from profiles.models import Profile
from resumes.attachments import RESUME_IMAGE
from resumes.models import Resume
from resumes.services import resume_create, resume_update
from tests.support import images
from tests.support.api import client_for
from tests.support.faults import (
    database_for_servers,
    database_url,
    gunicorn,
    hanging_s3,
    restartable_s3,
)
from tests.support.rows import rows
from tests.support.s3 import point_storage_at, stored_keys
from tests.support.uploads import issue, put_staged
from uploads.models import StagedUpload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.s3_server]

UNAVAILABLE = "image store is unavailable"


def photo_upload(size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    data = images.encode(images.halves(size), "JPEG")
    return SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg")


def all_stored_keys(user) -> list[str]:
    """Every key a row points at: the bucket must hold exactly these."""
    keys = [key for resume in Resume.objects.all() for key in stored_keys(resume, RESUME_IMAGE)]
    profile = Profile.objects.get(user=user)
    if profile.avatar:
        keys += stored_keys(profile, AVATAR)
    return sorted(keys)


# --- S3 stops, then comes back -----------------------------------------------------------


def test_s3_outage_answers_503_and_the_service_recovers_by_itself(api, user, bucket, settings):
    with restartable_s3(bucket.client.meta.endpoint_url) as s3:
        point_storage_at(settings, s3.url)  # the only settings change: before anything runs
        created = api.post(
            "/api/resumes/", {"title": "Before", "image": photo_upload()}, format="multipart"
        )
        assert created.status_code == 201, created.content
        resume_id = created.json()["id"]
        # The browser's direct upload reached S3 before the outage.
        ticket = issue(api)
        put_staged(bucket, ticket, images.encode(images.halves((50, 50)), "JPEG"))
        writes = {
            "create": lambda: api.post(
                "/api/resumes/", {"title": "During", "image": photo_upload()}, format="multipart"
            ),
            "replace": lambda: api.patch(
                f"/api/resumes/{resume_id}/",
                {"title": "Changed", "image": photo_upload((60, 30))},
                format="multipart",
            ),
            "avatar": lambda: api.patch(
                "/api/profiles/me/", {"avatar": photo_upload()}, format="multipart"
            ),
            "claim": lambda: api.post(
                "/api/resumes/", {"title": "Claimed", "image_key": ticket["key"]}, format="json"
            ),
        }
        rows_before, keys_before = rows(), bucket.object_keys()

        s3.stop()
        for name, send in writes.items():
            response = send()
            assert response.status_code == 503, (name, response.content)
            assert UNAVAILABLE in response.json()["detail"], name
        assert api.get("/api/resumes/").status_code == 200  # reads need no S3 call
        assert rows() == rows_before
        assert bucket.object_keys() == keys_before

        s3.start()  # same port; nothing else changes
        for name, send in writes.items():
            response = send()
            assert response.status_code in (200, 201), (name, response.content)

    titles = sorted(Resume.objects.values_list("title", flat=True))
    assert titles == ["Changed", "Claimed", "During"]
    assert bucket.image(Resume.objects.get(pk=resume_id).image.name).size == (60, 30)
    assert StagedUpload.objects.get().claimed_at is not None
    # The replaced image and the claimed staging object are gone; nothing else is left over.
    assert bucket.object_keys() == all_stored_keys(user)


def test_delete_during_an_outage_leaves_orphans_that_cleanup_removes_later(
    api, user, bucket, settings, caplog
):
    with restartable_s3(bucket.client.meta.endpoint_url) as s3:
        point_storage_at(settings, s3.url)
        created = api.post(
            "/api/resumes/", {"title": "t", "image": photo_upload()}, format="multipart"
        )
        keys = bucket.object_keys()
        assert len(keys) == 2

        s3.stop()
        with caplog.at_level(logging.ERROR, logger="storage.services"):
            response = api.delete(f"/api/resumes/{created.json()['id']}/")

        # The row is what the user sees: it is gone. Its objects could not be deleted.
        assert response.status_code == 204
        assert not Resume.objects.exists()
        assert bucket.object_keys() == keys
        assert sum("Could not delete stored object" in r.message for r in caplog.records) == 2

        s3.start()
        call_command("cleanup_orphans", "--delete", "--older-than", "0", stdout=None)

    assert bucket.object_keys() == []


def test_s3_lost_right_after_commit_leaves_the_replaced_objects_for_cleanup(user, bucket, settings):
    with restartable_s3(bucket.client.meta.endpoint_url) as s3:
        point_storage_at(settings, s3.url)
        resume = resume_create(
            owner=user, title="t", image=ContentFile(images.encode(images.halves(), "JPEG"))
        )
        old_keys = stored_keys(resume, RESUME_IMAGE)
        new_image = ContentFile(images.encode(Image.new("RGB", (40, 40), "blue"), "PNG"))

        with transaction.atomic():
            # Runs first among the on_commit callbacks: S3 is gone when the replaced
            # image's objects are to be deleted, after the row has committed.
            transaction.on_commit(s3.stop)
            resume_update(resume, image=new_image)

        assert not s3.running
        resume.refresh_from_db()
        new_keys = stored_keys(resume, RESUME_IMAGE)
        assert bucket.object_keys() == sorted(old_keys + new_keys)

        s3.start()
        call_command("cleanup_orphans", "--delete", "--older-than", "0", stdout=None)

    assert bucket.object_keys() == new_keys


# --- many writers at once ------------------------------------------------------------------

WRITERS = 50


class OwnConnectionsServer(ThreadedWSGIServer):
    """Every request thread opens its own connection to `database`, as under a threaded WSGI
    server in production."""

    database: dict
    # Django's servers listen with a backlog of 10: fifty clients connecting in the same
    # instant overflow it and the kernel resets some connections. gunicorn (README) listens
    # with its default backlog of 2048.
    request_queue_size = 2048

    def process_request_thread(self, request, client_address) -> None:
        connections[DEFAULT_DB_ALIAS] = load_backend(self.database["ENGINE"]).DatabaseWrapper(
            copy.deepcopy(self.database), DEFAULT_DB_ALIAS
        )
        super().process_request_thread(request, client_address)  # closes it when done


class OwnConnectionsLiveServer(LiveServerThread):
    def __init__(self, database: dict) -> None:
        super().__init__("127.0.0.1", static_handler=_StaticFilesHandler)
        self.database = database

    def _create_server(self, connections_override=None) -> ThreadedWSGIServer:
        server = OwnConnectionsServer(
            (self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False
        )
        server.database = self.database
        return server


@pytest.fixture
def production_s3_timeouts(bucket, settings) -> None:
    """The S3 client's timeouts and retries at their production defaults (config/settings.py).

    tests/settings.py shortens them so that fault tests fail fast. Here fifty requests, the
    moto server and the clients share one process (and its GIL): an answer can take longer
    than a second without anything being wrong, and a deployment would wait for it.
    """
    storages = copy.deepcopy(settings.STORAGES)
    options = storages["default"]["OPTIONS"]
    options["client_config"] = options["client_config"].merge(
        BotoConfig(
            connect_timeout=3, read_timeout=10, retries={"mode": "standard", "max_attempts": 3}
        )
    )
    settings.STORAGES = storages
    # Fifty requests queue for one row lock in one process: the last ones start their S3
    # calls long after they arrived, where a deployment spreads them over its workers.
    settings.AWS_S3_REQUEST_BUDGET_SECONDS = 600


@pytest.fixture
def live_url(transactional_db, user, tmp_path, settings, production_s3_timeouts) -> Iterator[str]:
    """A live HTTP server whose request threads each have their own database connection."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    with database_for_servers(tmp_path) as database:
        server = OwnConnectionsLiveServer(database)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            yield f"http://127.0.0.1:{server.port}"
        finally:
            server.terminate()


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {RefreshToken.for_user(user).access_token}"}


def jpeg(size: tuple[int, int]) -> bytes:
    return images.encode(images.halves(size), "JPEG")


def all_at_once(send: Callable[[int], requests.Response]) -> list[requests.Response]:
    """`send(0)` … `send(WRITERS - 1)`, each from its own thread, released together."""
    start = threading.Barrier(WRITERS)

    def run(i: int) -> requests.Response:
        start.wait(timeout=30)
        return send(i)

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(run, range(WRITERS)))


def test_concurrent_creates_lose_nothing(live_url, user, bucket):
    headers = bearer(user)
    photos = [jpeg((40 + i, 30)) for i in range(WRITERS)]

    responses = all_at_once(
        lambda i: requests.post(
            f"{live_url}/api/resumes/",
            data={"title": f"r{i}"},
            files={"image": (f"{i}.jpg", photos[i], "image/jpeg")},
            headers=headers,
            timeout=120,
        )
    )

    assert [r.status_code for r in responses] == [201] * WRITERS, [
        (r.status_code, r.text[:200]) for r in responses
    ]
    resumes = list(Resume.objects.filter(owner=user))
    assert sorted(r.id for r in resumes) == sorted(r.json()["id"] for r in responses)
    assert sorted(r.title for r in resumes) == sorted(f"r{i}" for i in range(WRITERS))
    for resume in resumes:  # each row holds its own request's image
        assert bucket.image(resume.image.name).width == 40 + int(resume.title[1:])
    assert bucket.object_keys() == all_stored_keys(user)
    assert len(bucket.object_keys()) == 2 * WRITERS


def test_concurrent_replacements_leave_exactly_one_image(live_url, user, bucket):
    resume = resume_create(owner=user, title="start", image=ContentFile(jpeg((30, 30))))
    bystander = resume_create(owner=user, title="other", image=ContentFile(jpeg((20, 20))))
    headers = bearer(user)
    photos = [jpeg((40 + i, 30)) for i in range(WRITERS)]

    responses = all_at_once(
        lambda i: requests.patch(
            f"{live_url}/api/resumes/{resume.id}/",
            data={"title": f"v{i}"},
            files={"image": (f"{i}.jpg", photos[i], "image/jpeg")},
            headers=headers,
            timeout=120,
        )
    )

    assert [r.status_code for r in responses] == [200] * WRITERS, [
        (r.status_code, r.text[:200]) for r in responses
    ]
    resume.refresh_from_db()
    # One request won both fields: the title and the image come from the same request.
    winner = int(resume.title[1:])
    assert bucket.image(resume.image.name).width == 40 + winner
    # The winner's image and thumbnail, the other row's, and nothing else: the 50 losers'
    # objects and the original were deleted once they were replaced.
    assert bucket.object_keys() == sorted(
        stored_keys(resume, RESUME_IMAGE) + stored_keys(bystander, RESUME_IMAGE)
    )


def test_concurrent_claims_of_one_upload_let_exactly_one_win(live_url, user, bucket):
    ticket = issue(client_for(user))
    put_staged(bucket, ticket, jpeg((40, 30)))
    headers = bearer(user)

    responses = all_at_once(
        lambda i: requests.post(
            f"{live_url}/api/resumes/",
            json={"title": f"r{i}", "image_key": ticket["key"]},
            headers=headers,
            timeout=120,
        )
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [400] * (WRITERS - 1), [r.text[:200] for r in responses]
    refusals = [r.json() for r in responses if r.status_code == 400]
    assert refusals == [{"image_key": ["This upload has already been used."]}] * (WRITERS - 1)
    (resume,) = Resume.objects.filter(owner=user)
    assert bucket.object_keys() == stored_keys(resume, RESUME_IMAGE)  # the staging object is gone


# --- S3 accepts connections and never answers ------------------------------------------------

# Shortened as a deployment could be: without the budget, two 10 s reads per S3 call outlast
# the 14 s worker timeout, gunicorn kills the worker and the client gets its HTML 500. (The
# budget's worst case, 2 s + 6 s of retry backoff + 5 s of margin, fits: settings check it.)
HANGING_S3_ENV = {
    "GUNICORN_TIMEOUT": "14",
    "AWS_S3_REQUEST_BUDGET_SECONDS": "2",
    "AWS_S3_CONNECT_TIMEOUT": "1",
    "AWS_S3_READ_TIMEOUT": "10",
    "AWS_S3_MAX_ATTEMPTS": "2",
}


@pytest.fixture
def hanging_s3_server(transactional_db, user, tmp_path, settings) -> Iterator[str]:
    """The API under gunicorn, with production settings, its bucket on a hanging S3."""
    with hanging_s3() as s3_url, database_for_servers(tmp_path) as database:
        env = {
            **HANGING_S3_ENV,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": settings.SECRET_KEY,  # the tests' tokens are signed with it
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": database_url(database),
            "DB_CONN_MAX_AGE": "0",
            "AWS_STORAGE_BUCKET_NAME": "resume-api-test",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_ENDPOINT_URL": s3_url,
            "AWS_S3_ADDRESSING_STYLE": "path",
            "LOG_LEVEL": "WARNING",
        }
        with gunicorn(env, tmp_path / "gunicorn.log") as url:
            yield url


def test_a_hanging_s3_answers_503_json_before_the_worker_timeout(hanging_s3_server, user):
    url, headers = hanging_s3_server, bearer(user)
    resume = Resume.objects.create(owner=user, title="kept", image="resumes/x/a.jpg")
    doomed = Resume.objects.create(
        owner=user, title="doomed", image="resumes/x/b.jpg", image_thumbnail="resumes/x/b_t.jpg"
    )
    # Presigning is local: a ticket needs no S3 call.
    ticket = requests.post(
        f"{url}/api/uploads/",
        json={"purpose": "resume-image", "content_type": "image/jpeg", "size": 1000},
        headers=headers,
        timeout=30,
    )
    assert ticket.status_code == 201, ticket.text
    rows_before = rows()
    photo = {"image": ("p.jpg", jpeg((40, 30)), "image/jpeg")}
    writes = {
        "create": lambda: requests.post(
            f"{url}/api/resumes/", data={"title": "new"}, files=photo, headers=headers, timeout=30
        ),
        "replace": lambda: requests.patch(
            f"{url}/api/resumes/{resume.id}/", files=photo, headers=headers, timeout=30
        ),
        "avatar": lambda: requests.patch(
            f"{url}/api/profiles/me/",
            files={"avatar": photo["image"]},
            headers=headers,
            timeout=30,
        ),
        "claim": lambda: requests.post(
            f"{url}/api/resumes/",
            json={"title": "claimed", "image_key": ticket.json()["key"]},
            headers=headers,
            timeout=30,
        ),
    }

    for name, send in writes.items():
        response = send()
        assert response.status_code == 503, (name, response.status_code, response.text[:300])
        assert response.headers["Content-Type"] == "application/json", name
        assert UNAVAILABLE in response.json()["detail"], name
    assert rows() == rows_before

    # The row goes at once; both objects' deletes hang after the commit and are given up
    # within the budget, left to cleanup_orphans.
    deleted = requests.delete(f"{url}/api/resumes/{doomed.id}/", headers=headers, timeout=30)
    assert deleted.status_code == 204, deleted.text[:300]
    assert list(Resume.objects.values_list("title", flat=True)) == ["kept"]
    # Every worker is free again: the API did not stall.
    for _ in range(4):
        assert requests.get(f"{url}/api/resumes/", headers=headers, timeout=30).status_code == 200
