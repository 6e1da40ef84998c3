"""A storage `location` (a key prefix in a shared bucket) changes the keys in the bucket only:
names in the database and in the API stay relative to it, and writes, presigned URLs, claims
and the orphan sweep all work under it. Against moto's server and a real S3 (Ceph RGW),
whose presigned POST policies and GET signatures name the full key."""

import io
import uuid

import pytest
import requests
from django.core.management import call_command

from resumes.attachments import RESUME_IMAGE
from resumes.models import Resume
from tests.support import images
from tests.support.api import public
from tests.support.s3 import stored_keys

pytestmark = [pytest.mark.django_db, pytest.mark.s3_server]

PHOTO = images.encode(images.halves((80, 40)), "JPEG")


def under(location: str, names: list[str]) -> list[str]:
    return sorted(f"{location}/{name}" for name in names)


def test_a_resume_image_is_stored_under_the_location_and_served(api, anon, bucket, located):
    response = api.post(
        "/api/resumes/", {"title": "t", "image": images.image_file()}, format="multipart"
    )

    assert response.status_code == 201, response.content
    resume = Resume.objects.get()
    assert resume.image.name.startswith("resumes/")
    assert bucket.object_keys() == under(located, stored_keys(resume, RESUME_IMAGE))
    data, content_type = bucket.get(f"{located}/{resume.image.name}")
    assert content_type == "image/jpeg"
    assert bucket.image(f"{located}/{resume.image_thumbnail.name}").format == "JPEG"
    body = response.json()
    assert requests.get(body["image"], timeout=10).content == data
    # The public link's short-lived URL is signed for the same key.
    api.patch(f"/api/resumes/{resume.id}/", {"is_public": True}, format="json")
    redirect = anon.get(public(body["share_slug"]) + "image/")
    assert requests.get(redirect["Location"], timeout=10).content == data


def test_a_direct_upload_is_posted_and_claimed_under_the_location(api, user, bucket, located):
    ticket = api.post(
        "/api/uploads/",
        {"purpose": "resume-image", "content_type": "image/jpeg", "size": len(PHOTO)},
        format="json",
    ).json()
    assert ticket["key"].startswith(f"uploads/{user.id}/")
    assert ticket["fields"]["key"] == f"{located}/{ticket['key']}"

    posted = requests.post(
        ticket["url"],
        data=ticket["fields"],
        files={"file": ("photo.jpg", PHOTO, "image/jpeg")},
        timeout=10,
    )
    assert posted.status_code in (200, 201, 204), posted.text
    assert bucket.object_keys() == [f"{located}/{ticket['key']}"]

    response = api.post("/api/resumes/", {"title": "t", "image_key": ticket["key"]}, format="json")

    assert response.status_code == 201, response.content
    resume = Resume.objects.get()
    assert bucket.object_keys() == under(located, stored_keys(resume, RESUME_IMAGE))  # staging gone
    assert bucket.image(f"{located}/{resume.image.name}").size == (80, 40)


def test_the_orphan_sweep_works_under_the_location_and_only_there(api, bucket, located):
    api.post("/api/resumes/", {"title": "t", "image": images.image_file()}, format="multipart")
    referenced = bucket.object_keys()
    orphan = f"resumes/{uuid.uuid4().hex}.jpg"
    outside = [orphan, f"tenant-b/{orphan}"]  # the same name at the root and elsewhere
    for key in [f"{located}/{orphan}", *outside]:
        bucket.client.put_object(Bucket=bucket.name, Key=key, Body=b"orphan")

    output = io.StringIO()
    call_command("cleanup_orphans", "--delete", "--older-than", "0", stdout=output)

    assert f"deleted {orphan} (6 bytes)" in output.getvalue()
    assert "Deleted 1 orphaned object(s), 6 bytes" in output.getvalue()
    assert bucket.object_keys() == sorted([*referenced, *outside])
