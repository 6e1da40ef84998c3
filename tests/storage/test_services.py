"""The write protocol of attachments: objects are written before the row and removed again if
the row's change fails; replaced ones go only after the commit."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from images.processing import sanitize_image
from resumes.attachments import RESUME_IMAGE
from resumes.models import Resume
from resumes.services import resume_create
from storage.services import UNCHANGED, image_store, image_write, update_with_image
from tests.support import images

pytestmark = pytest.mark.django_db

PHOTO = images.encode(images.halves((40, 30)), "PNG")


def test_an_image_is_stored_with_its_thumbnail_under_generated_keys(bucket, s3_calls):
    stored = image_store(RESUME_IMAGE, sanitize_image(PHOTO))

    assert re.fullmatch(r"resumes/[0-9a-f]{32}\.png", stored.name)
    assert stored.thumbnail_name == stored.name.replace(".png", "_thumb.png")
    assert bucket.object_keys() == sorted([stored.name, stored.thumbnail_name])
    assert s3_calls == ["PutObject", "PutObject"]


@pytest.mark.parametrize("failing", ["_thumb.png", "[0-9a-f].png"])
def test_a_failed_write_of_either_object_removes_the_other(bucket, failing):
    events = default_storage.connection.meta.client.meta.events

    def refuse(params, **kwargs) -> None:
        if re.search(f"{failing}$", params["Key"]):
            raise OSError("the store failed")

    events.register("before-parameter-build.s3.PutObject", refuse)
    try:
        with pytest.raises(OSError, match="the store failed"):
            image_store(RESUME_IMAGE, sanitize_image(PHOTO))
    finally:
        events.unregister("before-parameter-build.s3.PutObject", refuse)

    assert bucket.object_keys() == []


def test_a_failed_block_removes_the_new_objects(bucket):
    with pytest.raises(RuntimeError), image_write(RESUME_IMAGE, sanitize_image(PHOTO)) as stored:
        assert len(bucket.object_keys()) == 2 and stored
        raise RuntimeError("the row's change failed")

    assert bucket.object_keys() == []


def test_a_create_with_an_image_costs_two_puts_and_nothing_else(user, bucket, s3_calls):
    resume = resume_create(owner=user, title="t", image=ContentFile(PHOTO))

    assert s3_calls == ["PutObject", "PutObject"]
    assert bucket.object_keys() == sorted([resume.image.name, resume.image_thumbnail.name])


def test_unchanged_values_are_neither_set_nor_saved(user, bucket):
    resume = resume_create(owner=user, title="t", summary="s", image=ContentFile(PHOTO))
    keys = bucket.object_keys()
    Resume.objects.filter(pk=resume.pk).update(summary="changed meanwhile")

    update_with_image(
        resume,
        attachment=RESUME_IMAGE,
        image=UNCHANGED,
        fields={"title": "new", "summary": UNCHANGED},
    )

    resume.refresh_from_db()
    assert (resume.title, resume.summary) == ("new", "changed meanwhile")
    assert bucket.object_keys() == keys


def test_a_removed_image_is_deleted_after_the_commit(
    user, bucket, django_capture_on_commit_callbacks
):
    resume = resume_create(owner=user, title="t", image=ContentFile(PHOTO))

    with django_capture_on_commit_callbacks() as callbacks:
        update_with_image(resume, attachment=RESUME_IMAGE, image=None, fields={})
        assert len(bucket.object_keys()) == 2  # not yet committed

    for callback in callbacks:
        callback()
    assert bucket.object_keys() == []
    assert not Resume.objects.get().image
