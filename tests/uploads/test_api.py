"""Direct uploads: a presigned POST to S3, then a claim through the API."""

import base64
import json
from datetime import timedelta

import pytest
import requests
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.throttling import ScopedRateThrottle

import uploads.services
from profiles.attachments import AVATAR
from profiles.models import Profile
from resumes.attachments import RESUME_IMAGE
from resumes.models import Resume
from tests.support import images
from tests.support.api import client_for
from tests.support.s3 import stored_keys
from tests.support.uploads import UPLOADS, browser_post, issue, put_staged
from uploads.models import StagedUpload

pytestmark = pytest.mark.django_db

PHOTO = images.encode(images.halves((80, 40)), "JPEG")
USED = "This upload has already been used."
EXPIRED = "This upload has expired; request a new one from POST /api/uploads/."


def claim(client, purpose: str, key: str, **fields: str):
    """Claim `key` the way the purpose is claimed: a new résumé, or the profile's avatar."""
    if purpose == "avatar":
        return client.patch("/api/profiles/me/", {**fields, "avatar_key": key}, format="json")
    return client.post("/api/resumes/", {"title": "t", **fields, "image_key": key}, format="json")


KEY_FIELD = {"resume-image": "image_key", "avatar": "avatar_key"}


def test_issued_policy_restricts_key_type_size_and_time(api, user, settings):
    before = timezone.now()
    ticket = issue(api, content_type="image/png", size=1234)

    assert ticket["key"].startswith(f"uploads/{user.id}/") and ticket["key"].endswith(".png")
    assert ticket["fields"]["key"] == ticket["key"]
    assert ticket["fields"]["Content-Type"] == "image/png"
    policy = json.loads(base64.b64decode(ticket["fields"]["policy"]))
    conditions = policy["conditions"]
    assert {"key": ticket["key"]} in conditions
    assert {"Content-Type": "image/png"} in conditions
    # S3 refuses a file of any other size than the one declared (moto checks nothing).
    assert ["content-length-range", 1234, 1234] in conditions
    expiration = parse_datetime(policy["expiration"])
    lifetime = timedelta(seconds=settings.UPLOAD_URL_EXPIRE_SECONDS)
    assert before + lifetime - timedelta(seconds=5) <= expiration <= timezone.now() + lifetime
    assert abs(parse_datetime(ticket["expires_at"]) - expiration) < timedelta(seconds=2)
    staged = StagedUpload.objects.get(key=ticket["key"])
    assert (staged.owner, staged.purpose, staged.claimed_at) == (user, "resume-image", None)


@pytest.mark.s3_server
def test_browser_upload_then_claim_creates_the_resume(api, user, bucket):
    ticket = issue(api, size=len(PHOTO))

    uploaded = browser_post(ticket, PHOTO)
    assert uploaded.status_code in (200, 201, 204), uploaded.text
    assert ticket["key"] in bucket.object_keys()

    response = api.post(
        "/api/resumes/", {"title": "Direct", "image_key": ticket["key"]}, format="json"
    )

    assert response.status_code == 201, response.content
    resume = Resume.objects.get()
    assert resume.image.name.startswith("resumes/")
    assert bucket.object_keys() == stored_keys(resume, RESUME_IMAGE)  # staging object deleted
    assert bucket.get(resume.image.name)[1] == "image/jpeg"
    assert bucket.image(resume.image.name).size == (80, 40)
    assert StagedUpload.objects.get().claimed_at is not None
    assert "image_key" not in response.json()
    image_url = response.json()["image"]
    assert requests.get(image_url, timeout=10).content == bucket.get(resume.image.name)[0]


@pytest.mark.s3_server
def test_browser_upload_then_claim_sets_the_avatar(api, user, bucket):
    png = images.encode(images.halves(), "PNG")
    ticket = issue(api, purpose="avatar", content_type="image/png", size=len(png))
    assert browser_post(ticket, png, "image/png").status_code in (200, 201, 204)

    response = api.patch("/api/profiles/me/", {"avatar_key": ticket["key"]}, format="json")

    assert response.status_code == 200, response.content
    profile = Profile.objects.get(user=user)
    assert bucket.object_keys() == stored_keys(profile, AVATAR)
    assert profile.avatar.name.startswith("avatars/")


@pytest.mark.s3_server
def test_oversized_staged_object_is_refused_at_claim(api, bucket, settings):
    """The store refuses an oversized POST (tests/storage/test_live_s3.py); the claim checks
    the size again, whatever wrote the object (here the S3 client, past the policy)."""
    settings.IMAGE_MAX_BYTES = 2**20
    ticket = issue(api, content_type="image/png", size=1000)
    put_staged(bucket, ticket, images.padded_png(int(2.5 * 2**20)), "image/png")

    response = api.post("/api/resumes/", {"title": "x", "image_key": ticket["key"]}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "image_key": ["The file is too large (2.5 MiB); the limit is 1.0 MiB."]
    }
    assert not Resume.objects.exists()
    assert bucket.object_keys() == []  # nothing final written, the staging object spent


def test_claim_replaces_an_existing_image(api, user, bucket):
    first = issue(api)
    put_staged(bucket, first, PHOTO)
    created = api.post("/api/resumes/", {"title": "t", "image_key": first["key"]}, format="json")
    old_keys = bucket.object_keys()
    second = issue(api)
    put_staged(bucket, second, images.encode(images.halves((50, 50)), "JPEG"))

    response = api.patch(
        f"/api/resumes/{created.json()['id']}/", {"image_key": second["key"]}, format="json"
    )

    assert response.status_code == 200
    assert set(old_keys).isdisjoint(bucket.object_keys())
    assert bucket.object_keys() == stored_keys(Resume.objects.get(), RESUME_IMAGE)


def test_a_key_can_be_claimed_only_once(api, bucket):
    ticket = issue(api)
    put_staged(bucket, ticket, PHOTO)
    assert (
        api.post(
            "/api/resumes/", {"title": "a", "image_key": ticket["key"]}, format="json"
        ).status_code
        == 201
    )
    keys = bucket.object_keys()

    again = api.post("/api/resumes/", {"title": "b", "image_key": ticket["key"]}, format="json")

    assert again.status_code == 400
    assert again.json() == {"image_key": [USED]}
    assert Resume.objects.count() == 1
    assert bucket.object_keys() == keys


@pytest.mark.parametrize("purpose", ["resume-image", "avatar"])
def test_claim_after_expiry_is_refused(api, user, bucket, purpose):
    ticket = issue(api, purpose=purpose)
    put_staged(bucket, ticket, PHOTO)
    StagedUpload.objects.update(expires_at=timezone.now() - timedelta(days=30))

    response = claim(api, purpose, ticket["key"])

    assert response.status_code == 400
    assert response.json() == {KEY_FIELD[purpose]: [EXPIRED]}
    assert not Resume.objects.exists()
    assert not Profile.objects.get(user=user).avatar
    # Expired uploads are the orphan sweep's to delete.
    assert StagedUpload.objects.get().claimed_at is None


@pytest.mark.parametrize("purpose", ["resume-image", "avatar"])
def test_a_failed_claim_spends_the_upload(api, user, bucket, purpose):
    ticket = issue(api, purpose=purpose)
    put_staged(bucket, ticket, images.png_claiming(50_000, 50_000))
    field = KEY_FIELD[purpose]

    first = claim(api, purpose, ticket["key"])
    again = claim(api, purpose, ticket["key"])

    assert first.status_code == 400 and "too many pixels" in first.json()[field][0]
    assert again.status_code == 400
    assert again.json() == {field: [USED]}
    assert StagedUpload.objects.get().claimed_at is not None
    assert bucket.object_keys() == []  # the staging object is gone
    assert not Resume.objects.exists()
    assert not Profile.objects.get(user=user).avatar


def test_a_crash_while_decoding_spends_the_upload(api, bucket, monkeypatch):
    ticket = issue(api)
    put_staged(bucket, ticket, PHOTO)

    def out_of_memory(data: bytes) -> None:
        raise MemoryError

    # What a decoder that exhausts the worker does; the attempt must already be committed.
    monkeypatch.setattr(uploads.services, "sanitize_image", out_of_memory)
    with pytest.raises(MemoryError):
        claim(api, "resume-image", ticket["key"])
    monkeypatch.undo()

    again = claim(api, "resume-image", ticket["key"])

    assert again.json() == {"image_key": [USED]}
    assert StagedUpload.objects.get().claimed_at is not None
    assert bucket.object_keys() == []
    assert not Resume.objects.exists()


def test_a_claim_before_the_upload_keeps_the_attempt(api, bucket):
    ticket = issue(api)

    early = claim(api, "resume-image", ticket["key"])
    put_staged(bucket, ticket, PHOTO)
    claimed = claim(api, "resume-image", ticket["key"])

    assert early.json() == {"image_key": ["Nothing has been uploaded to this key yet."]}
    assert claimed.status_code == 201, claimed.content
    assert bucket.object_keys() == stored_keys(Resume.objects.get(), RESUME_IMAGE)


def test_a_request_refused_for_another_field_keeps_the_upload(api, bucket):
    ticket = issue(api)
    put_staged(bucket, ticket, PHOTO)

    refused = claim(api, "resume-image", ticket["key"], title="x" * 201)

    assert refused.status_code == 400 and list(refused.json()) == ["title"]
    assert StagedUpload.objects.get().claimed_at is None
    assert bucket.object_keys() == [ticket["key"]]
    assert claim(api, "resume-image", ticket["key"]).status_code == 201


def test_tickets_are_throttled_per_user(api, other_user, bucket, monkeypatch):
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "upload": "3/hour"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    for _ in range(3):
        issue(api)

    refused = api.post(
        UPLOADS, {"purpose": "avatar", "content_type": "image/png", "size": 10}, format="json"
    )

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert StagedUpload.objects.count() == 3
    issue(client_for(other_user))  # counted per user, not per address
    cache.clear()


# --- the same words for the same problem on every path -------------------------------------


def test_an_oversized_file_gets_the_same_message_on_every_path(api, bucket):
    size = 5_400_000  # a 5.4 MB photo, over the 5 MiB default
    expected = "The file is too large (5.1 MiB); the limit is 5.0 MiB."

    ticket = api.post(
        UPLOADS, {"purpose": "avatar", "content_type": "image/jpeg", "size": size}, format="json"
    )
    form = api.patch(
        "/api/profiles/me/",
        {"avatar": SimpleUploadedFile("photo.jpg", b"\xff" * size, content_type="image/jpeg")},
        format="multipart",
    )

    assert (ticket.status_code, form.status_code) == (400, 400)
    assert ticket.json() == {"size": [expected]}
    assert form.json() == {"avatar": [expected]}


def test_an_empty_file_gets_the_same_message_on_every_path(api, bucket):
    ticket = api.post(
        UPLOADS, {"purpose": "avatar", "content_type": "image/jpeg", "size": 0}, format="json"
    )
    form = api.patch(
        "/api/profiles/me/",
        {"avatar": SimpleUploadedFile("photo.jpg", b"", content_type="image/jpeg")},
        format="multipart",
    )

    assert ticket.json() == {"size": [form.json()["avatar"][0]]}


def test_an_upload_over_the_body_limit_is_refused_in_image_terms(api, bucket):
    photo = SimpleUploadedFile("photo.jpg", b"\xff" * 9_700_000, content_type="image/jpeg")

    response = api.post("/api/resumes/", {"title": "t", "image": photo}, format="multipart")

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The upload is too large (9.3 MiB); images may be at most 5.0 MiB."
    }
    assert not Resume.objects.exists()


def test_another_users_key_is_refused(api, other_user, bucket):
    theirs = issue(client_for(other_user))
    put_staged(bucket, theirs, PHOTO)

    response = api.post("/api/resumes/", {"title": "x", "image_key": theirs["key"]}, format="json")

    assert response.status_code == 400
    assert response.json() == {"image_key": ["This upload key does not belong to you."]}
    assert not Resume.objects.exists()
    assert StagedUpload.objects.get().claimed_at is None


@pytest.mark.parametrize(
    ("make_key", "message"),
    [
        (lambda user, ticket: f"uploads/{user.id}/not-issued.jpg", "Unknown upload key"),
        (lambda user, ticket: ticket["key"], "Nothing has been uploaded"),
        (lambda user, ticket: "resumes/1/../../uploads/x.jpg", "does not belong"),
    ],
    ids=["never issued", "issued, not uploaded", "outside the staging prefix"],
)
def test_unusable_keys_are_refused(api, user, bucket, make_key, message):
    ticket = issue(api)

    response = api.post(
        "/api/resumes/", {"title": "x", "image_key": make_key(user, ticket)}, format="json"
    )

    assert response.status_code == 400
    assert message in response.json()["image_key"][0]
    assert not Resume.objects.exists()
    assert bucket.object_keys() == []


def test_key_issued_for_another_purpose_is_refused(api, bucket):
    ticket = issue(api, purpose="avatar")
    put_staged(bucket, ticket, PHOTO)

    response = api.post("/api/resumes/", {"title": "x", "image_key": ticket["key"]}, format="json")

    assert response.status_code == 400
    assert "issued for Avatar" in response.json()["image_key"][0]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html><script>alert(1)</script></html>", "Unsupported file type"),
        (PHOTO[:200], "corrupt"),
        (images.png_claiming(50_000, 50_000), "too many pixels"),
    ],
    ids=["html", "truncated", "bomb"],
)
def test_invalid_content_is_refused_and_nothing_attached(api, user, bucket, data, reason):
    ticket = issue(api)
    put_staged(bucket, ticket, data)

    response = api.post("/api/resumes/", {"title": "x", "image_key": ticket["key"]}, format="json")

    assert response.status_code == 400
    assert reason in response.json()["image_key"][0]
    assert not Resume.objects.exists()
    assert bucket.object_keys() == []  # the staging object went with the claim attempt


def test_file_and_key_together_are_refused(api, bucket):
    ticket = issue(api)
    put_staged(bucket, ticket, PHOTO)

    response = api.post(
        "/api/resumes/",
        {"title": "x", "image_key": ticket["key"], "image": images.image_file()},
        format="multipart",
    )

    assert response.status_code == 400
    assert "not both" in response.json()["image_key"][0]
    assert bucket.object_keys() == [ticket["key"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"purpose": "cv", "content_type": "image/jpeg", "size": 10}, "purpose"),
        ({"purpose": "avatar", "content_type": "image/gif", "size": 10}, "content_type"),
        ({"purpose": "avatar", "content_type": "image/svg+xml", "size": 10}, "content_type"),
        ({"purpose": "avatar", "content_type": "image/png", "size": 0}, "size"),
        ({"purpose": "avatar", "content_type": "image/png", "size": 6 * 1024 * 1024}, "size"),
        ({"purpose": "avatar", "content_type": "image/png"}, "size"),
    ],
)
def test_bad_upload_requests_name_the_field(api, body, field):
    response = api.post(UPLOADS, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not StagedUpload.objects.exists()


def test_uploads_require_authentication(anon):
    response = anon.post(UPLOADS, {"purpose": "avatar", "content_type": "image/png", "size": 1})

    assert response.status_code == 401


def test_local_disk_storage_answers_409(api, local_disk):
    response = api.post(
        UPLOADS, {"purpose": "avatar", "content_type": "image/png", "size": 10}, format="json"
    )

    assert response.status_code == 409
    assert "local disk" in response.json()["detail"]
    assert not StagedUpload.objects.exists()
