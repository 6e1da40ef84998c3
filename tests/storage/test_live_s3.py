"""What only a real S3 server checks (Ceph RGW here, as AWS does; moto checks none of it): the
presigned POST's policy (size, Content-Type, key, expiry) and the presigned GET's signature.

The API's own checks hold without these (tests/uploads/test_api.py); these show that the store
itself refuses what a ticket or a link does not allow, so nothing lands in the bucket.
"""

import base64
import copy
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from resumes.models import Resume
from tests.support import images
from tests.support.uploads import browser_post, issue

pytestmark = [pytest.mark.django_db, pytest.mark.real_s3]

PHOTO = images.encode(images.halves((80, 40)), "JPEG")


def s3_error(response: requests.Response) -> tuple[int, str]:
    """The status and the S3 error code of a refusal."""
    code = response.text.split("<Code>", 1)[-1].split("</Code>", 1)[0]
    return response.status_code, code


def wait_until_past(moment) -> None:
    """Sleep until the clock is a second past `moment` (S3 compares whole seconds)."""
    while timezone.now() <= moment + timedelta(seconds=1):
        time.sleep(0.1)


# --- the presigned POST ----------------------------------------------------------------------


def test_the_store_takes_exactly_what_the_ticket_describes(api, bucket):
    ticket = issue(api, size=len(PHOTO))

    response = browser_post(ticket, PHOTO)

    assert response.status_code == 204, response.text
    assert bucket.object_keys() == [ticket["key"]]
    assert bucket.get(ticket["key"]) == (PHOTO, "image/jpeg")


def other_key(ticket: dict) -> dict:
    """The ticket's form, aimed at a key the client chose."""
    return {**ticket["fields"], "key": ticket["key"].rsplit("/", 1)[0] + "/chosen-by-client.jpg"}


def other_content_type(ticket: dict) -> dict:
    return {**ticket["fields"], "Content-Type": "image/png"}


@pytest.mark.parametrize(
    ("data", "content_type", "fields", "refusal"),
    [
        pytest.param(
            PHOTO + b"\0", "image/jpeg", None, (400, "EntityTooLarge"), id="one byte over the size"
        ),
        pytest.param(PHOTO[:-1], "image/jpeg", None, (400, "EntityTooSmall"), id="one byte under"),
        pytest.param(
            PHOTO, "image/png", other_content_type, (403, "AccessDenied"), id="another type"
        ),
        pytest.param(PHOTO, "image/jpeg", other_key, (403, "AccessDenied"), id="another key"),
    ],
)
def test_the_store_refuses_an_upload_the_ticket_does_not_allow(
    api, bucket, data: bytes, content_type: str, fields: Callable | None, refusal
):
    ticket = issue(api, size=len(PHOTO))
    if fields is not None:
        ticket = {**ticket, "fields": fields(ticket)}

    response = browser_post(ticket, data, content_type)

    assert s3_error(response) == refusal, response.text
    assert bucket.object_keys() == []


def test_the_store_refuses_an_upload_after_the_ticket_expires(api, bucket, settings):
    settings.UPLOAD_URL_EXPIRE_SECONDS = 1
    ticket = issue(api, size=len(PHOTO))
    policy = json.loads(base64.b64decode(ticket["fields"]["policy"]))
    wait_until_past(parse_datetime(policy["expiration"]))

    response = browser_post(ticket, PHOTO)

    assert s3_error(response) == (403, "AccessDenied"), response.text
    assert "expired" in response.text
    assert bucket.object_keys() == []


# --- the presigned GET -----------------------------------------------------------------------


def photo_url(api) -> tuple[str, Resume]:
    """A résumé with a photo, and the presigned URL the API gives for it."""
    created = api.post(
        "/api/resumes/", {"title": "t", "image": images.image_file()}, format="multipart"
    )
    assert created.status_code == 201, created.content
    return created.json()["image"], Resume.objects.get(pk=created.json()["id"])


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True)) | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_the_photo_link_as_issued_works(api, bucket):
    url, resume = photo_url(api)

    response = requests.get(url, timeout=10)

    assert response.status_code == 200
    assert response.content == bucket.get(resume.image.name)[0]


@pytest.mark.parametrize(
    "tamper",
    [
        # The thumbnail exists: the refusal is the signature's, not a missing object's.
        lambda url, resume: url.replace(resume.image.name, resume.image_thumbnail.name),
        lambda url, resume: with_query(url, **{"X-Amz-Signature": "0" * 64}),
        lambda url, resume: with_query(url, **{"X-Amz-Expires": "604800"}),
    ],
    ids=["another key", "another signature", "a later expiry"],
)
def test_the_store_refuses_a_tampered_photo_link(api, bucket, tamper: Callable):
    url, resume = photo_url(api)
    tampered = tamper(url, resume)
    assert tampered != url

    response = requests.get(tampered, timeout=10)

    assert s3_error(response) == (403, "SignatureDoesNotMatch"), response.text


def test_the_store_refuses_an_expired_photo_link(api, bucket, settings):
    storages = copy.deepcopy(settings.STORAGES)
    storages["default"]["OPTIONS"]["querystring_expire"] = 1
    settings.STORAGES = storages
    url, _ = photo_url(api)
    query = dict(parse_qsl(urlsplit(url).query))
    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    wait_until_past(signed_at + timedelta(seconds=int(query["X-Amz-Expires"])))

    response = requests.get(url, timeout=10)

    assert s3_error(response) == (403, "AccessDenied"), response.text


def test_a_download_link_names_the_file_and_is_signed_with_that_name(bucket):
    default_storage.put("pdfs/a.pdf", b"%PDF-1.7 stored", "application/pdf")
    url = default_storage.signed_url("pdfs/a.pdf", 60, download_as="ada-lovelace.pdf")

    response = requests.get(url, timeout=10)
    renamed = requests.get(
        with_query(url, **{"response-content-disposition": 'attachment; filename="other.exe"'}),
        timeout=10,
    )

    assert response.status_code == 200, response.text
    assert response.content == b"%PDF-1.7 stored"
    assert response.headers["Content-Disposition"] == 'attachment; filename="ada-lovelace.pdf"'
    assert response.headers["Content-Type"] == "application/pdf"
    assert s3_error(renamed) == (403, "SignatureDoesNotMatch"), renamed.text
