"""Storage and database never disagree: checked with real commits, real database failures
and real S3 endpoints that fail."""

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from profiles.models import Profile
from resumes.attachments import RESUME_IMAGE
from resumes.models import Resume
from resumes.services import resume_create, resume_delete, resume_update
from storage.orphans import find_orphans
from tests.support import images
from tests.support.faults import closed_port_url, failing_s3, table_rejects_writes
from tests.support.s3 import point_storage_at, stored_keys
from tests.support.uploads import image_upload

pytestmark = pytest.mark.django_db


def photo(color: str = "red"):
    return ContentFile(images.encode(Image.new("RGB", (40, 30), color), "JPEG"))


def test_replaced_image_is_deleted_only_after_commit(
    user, bucket, django_capture_on_commit_callbacks
):
    resume = resume_create(owner=user, title="t", image=photo())
    old_keys = stored_keys(resume, RESUME_IMAGE)

    # The block's end stands for the commit: its on-commit callbacks run there.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        resume_update(resume, image=photo("blue"))
        assert set(old_keys) <= set(bucket.object_keys())  # not yet committed: still there

    assert set(old_keys).isdisjoint(bucket.object_keys())
    assert bucket.object_keys() == stored_keys(Resume.objects.get(), RESUME_IMAGE)


def test_rolled_back_replacement_keeps_the_old_image(user, bucket):
    resume = resume_create(owner=user, title="t", image=photo())
    old_keys = stored_keys(resume, RESUME_IMAGE)

    with pytest.raises(RuntimeError), transaction.atomic():
        resume_update(resume, image=photo("blue"))
        raise RuntimeError("the caller's transaction fails later")

    assert set(old_keys) <= set(bucket.object_keys())
    assert stored_keys(Resume.objects.get(), RESUME_IMAGE) == old_keys
    # The new objects written before the rollback are what cleanup_orphans is for.
    orphans = {o.name for o in find_orphans(modified_before=timezone.now())}
    assert orphans == set(bucket.object_keys()) - set(old_keys)
    assert len(orphans) == 2


def test_deleted_resume_keeps_objects_until_commit(user, bucket):
    resume = resume_create(owner=user, title="t", image=photo())

    with pytest.raises(RuntimeError), transaction.atomic():
        resume_delete(resume)
        raise RuntimeError("rolled back")

    assert bucket.object_keys() == stored_keys(Resume.objects.get(), RESUME_IMAGE)


def test_failed_insert_after_upload_leaves_no_object(api, bucket):
    with table_rejects_writes("resumes_resume"):
        response = api.post(
            "/api/resumes/", {"title": "t", "image": image_upload()}, format="multipart"
        )

    assert response.status_code in (409, 503)
    assert "detail" in response.json()
    assert not Resume.objects.exists()
    assert bucket.object_keys() == []


def test_failed_update_after_upload_keeps_only_the_old_objects(api, user, bucket):
    created = api.post("/api/resumes/", {"title": "t", "image": image_upload()}, format="multipart")
    old_keys = bucket.object_keys()

    with table_rejects_writes("resumes_resume"):
        response = api.patch(
            f"/api/resumes/{created.json()['id']}/",
            {"title": "changed", "image": image_upload(color="blue")},
            format="multipart",
        )

    assert response.status_code in (409, 503)
    assert bucket.object_keys() == old_keys
    resume = Resume.objects.get()
    assert resume.title == "t"
    assert stored_keys(resume, RESUME_IMAGE) == old_keys


def test_failed_avatar_update_leaves_no_object(api, user, bucket):
    with table_rejects_writes("profiles_profile"):
        response = api.patch("/api/profiles/me/", {"avatar": image_upload()}, format="multipart")

    assert response.status_code in (409, 503)
    assert bucket.object_keys() == []
    assert not Profile.objects.get(user=user).avatar


S3_FAULTS = {
    "endpoint down": None,
    "access denied": (403, "AccessDenied", 0.0),
    "throttled": (503, "SlowDown", 0.0),
    "internal error": (500, "InternalError", 0.0),
    "timeout": (200, "", 2.5),
}


@pytest.fixture(params=S3_FAULTS.values(), ids=S3_FAULTS.keys())
def broken_s3(request, settings):
    fault = request.param
    if fault is None:
        point_storage_at(settings, closed_port_url())
        yield
        return
    status, code, delay = fault
    with failing_s3(status, code, delay) as url:
        point_storage_at(settings, url)
        yield


def test_s3_failure_on_create_is_503_and_nothing_is_saved(api, broken_s3):
    response = api.post(
        "/api/resumes/", {"title": "t", "image": image_upload()}, format="multipart"
    )

    assert response.status_code == 503
    assert "image store is unavailable" in response.json()["detail"]
    assert not Resume.objects.exists()


def test_s3_failure_on_update_is_503_and_nothing_changes(api, user, bucket, settings):
    created = api.post("/api/resumes/", {"title": "t", "image": image_upload()}, format="multipart")
    keys = bucket.object_keys()
    healthy_storages = settings.STORAGES

    with failing_s3(403, "AccessDenied") as url:
        point_storage_at(settings, url)
        response = api.patch(
            f"/api/resumes/{created.json()['id']}/",
            {"title": "changed", "image": image_upload(color="blue")},
            format="multipart",
        )

    assert response.status_code == 503
    resume = Resume.objects.get()
    assert resume.title == "t"
    assert stored_keys(resume, RESUME_IMAGE) == keys

    settings.STORAGES = healthy_storages  # S3 is back: the same request now succeeds
    retry = api.patch(
        f"/api/resumes/{resume.id}/",
        {"title": "changed", "image": image_upload()},
        format="multipart",
    )
    assert retry.status_code == 200
    assert bucket.object_keys() == stored_keys(Resume.objects.get(), RESUME_IMAGE)
    assert set(keys).isdisjoint(bucket.object_keys())


def test_reads_do_not_need_s3(api, user, settings):
    Resume.objects.create(owner=user, title="t", image="resumes/1/x.jpg")
    point_storage_at(settings, closed_port_url())

    response = api.get("/api/resumes/")

    assert response.status_code == 200
    assert "resumes/1/x.jpg" in response.json()["results"][0]["image"]


def test_updates_of_different_fields_do_not_overwrite_each_other(user):
    resume = resume_create(owner=user, title="old title", summary="old summary")
    first, second = Resume.objects.get(pk=resume.pk), Resume.objects.get(pk=resume.pk)

    resume_update(first, title="new title")
    resume_update(second, summary="new summary")  # read before the first update

    resume.refresh_from_db()
    assert (resume.title, resume.summary) == ("new title", "new summary")
