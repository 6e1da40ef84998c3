from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from profiles.attachments import AVATAR
from profiles.models import Profile
from resumes.attachments import RESUME_IMAGE
from resumes.models import Resume
from tests.support.s3 import stored_keys
from tests.support.uploads import image_upload
from uploads.models import StagedUpload

pytestmark = pytest.mark.django_db


def put(bucket, key: str) -> str:
    bucket.client.put_object(Bucket=bucket.name, Key=key, Body=b"x" * 10)
    return key


def cleanup(*args: str) -> str:
    out = StringIO()
    call_command("cleanup_orphans", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def scene(api, user, bucket):
    """Referenced images, claimable and expired staging uploads, and stray objects."""
    api.post("/api/resumes/", {"title": "kept", "image": image_upload()}, format="multipart")
    api.patch("/api/profiles/me/", {"avatar": image_upload()}, format="multipart")
    live = api.post(
        "/api/uploads/",
        {"purpose": "avatar", "content_type": "image/png", "size": 10},
        format="json",
    ).json()["key"]
    put(bucket, live)
    expired = api.post(
        "/api/uploads/",
        {"purpose": "avatar", "content_type": "image/png", "size": 10},
        format="json",
    ).json()["key"]
    put(bucket, expired)
    StagedUpload.objects.filter(key=expired).update(expires_at=timezone.now() - timedelta(hours=1))
    orphans = {
        put(bucket, f"resumes/{user.id}/deadbeef.jpg"),
        put(bucket, f"resumes/{user.id}/deadbeef_thumb.jpg"),
        put(bucket, "avatars/999/gone.png"),
        put(bucket, f"uploads/{user.id}/never-issued.png"),
        expired,
    }
    outside = put(bucket, "elsewhere/not-ours.txt")
    referenced = {
        *stored_keys(Resume.objects.get(), RESUME_IMAGE),
        *stored_keys(Profile.objects.get(user=user), AVATAR),
        live,
    }
    return {"orphans": orphans, "referenced": referenced, "outside": outside}


def listed(output: str, action: str) -> set[str]:
    return {line.split()[1] for line in output.splitlines() if line.startswith(f"{action} ")}


def test_dry_run_lists_exactly_the_orphans_and_deletes_nothing(bucket, scene):
    before = bucket.object_keys()

    output = cleanup("--older-than", "0")

    assert listed(output, "orphan") == scene["orphans"]
    assert "Found 5 orphaned object(s), 50 bytes" in output
    assert bucket.object_keys() == before


def test_delete_removes_exactly_the_orphans(bucket, scene):
    output = cleanup("--delete", "--older-than", "0")

    assert listed(output, "deleted") == scene["orphans"]
    assert set(bucket.object_keys()) == scene["referenced"] | {scene["outside"]}


def test_recent_objects_are_left_alone_by_default(bucket, scene):
    output = cleanup("--delete")

    assert listed(output, "deleted") == set()
    assert "Deleted 0 orphaned object(s)" in output
    assert scene["orphans"] <= set(bucket.object_keys())


def test_local_disk_storage_is_cleaned_too(api, user, local_disk):
    api.post("/api/resumes/", {"title": "kept", "image": image_upload()}, format="multipart")
    stray = local_disk / "resumes" / "stray.jpg"
    stray.write_bytes(b"orphan")
    # Keys of the earlier layout, <prefix>/<owner id>/<uuid>, are swept too.
    (local_disk / "resumes" / str(user.id)).mkdir()
    legacy = local_disk / "resumes" / str(user.id) / "legacy.jpg"
    legacy.write_bytes(b"orphan")

    output = cleanup("--delete", "--older-than", "0")

    assert listed(output, "deleted") == {"resumes/stray.jpg", f"resumes/{user.id}/legacy.jpg"}
    assert not stray.exists()
    assert not legacy.exists()
    assert all(
        (local_disk / key).exists() for key in stored_keys(Resume.objects.get(), RESUME_IMAGE)
    )


def test_negative_age_is_refused():
    with pytest.raises(CommandError):
        cleanup("--older-than", "-1")
