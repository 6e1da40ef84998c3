"""How an attachment's new image comes in (uploads.services.incoming_image): a file sent with
the request or a direct upload's key, each refused under its own request field; a direct
upload is claimed once."""

import pytest
from django.core.files.base import ContentFile

from profiles.attachments import AVATAR
from resumes.attachments import RESUME_IMAGE
from storage.errors import FieldRejected
from storage.services import UNCHANGED
from tests.factories import StagedUploadFactory
from tests.support import images
from uploads.models import StagedUpload
from uploads.services import ClaimRejected, incoming_image, staged_upload_spend

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", [None, UNCHANGED])
def test_no_file_and_no_key_pass_through(user, value):
    assert incoming_image(AVATAR, owner_id=user.id, file=value, key=None) is value


def test_a_file_is_sanitized(user):
    photo = ContentFile(images.encode(images.halves((40, 30)), "PNG"))

    image = incoming_image(RESUME_IMAGE, owner_id=user.id, file=photo, key=None)

    assert (image.format.extension, image.width, image.height) == ("png", 40, 30)


@pytest.mark.parametrize(("attachment", "field"), [(RESUME_IMAGE, "image"), (AVATAR, "avatar")])
def test_a_bad_file_is_refused_under_the_attachments_field(user, bucket, attachment, field):
    with pytest.raises(FieldRejected) as refused:
        incoming_image(attachment, owner_id=user.id, file=ContentFile(b"not an image"), key=None)

    assert refused.value.field == field
    assert "Unsupported file type" in refused.value.message
    assert bucket.object_keys() == []


@pytest.mark.parametrize(
    ("attachment", "field"), [(RESUME_IMAGE, "image_key"), (AVATAR, "avatar_key")]
)
def test_a_bad_key_is_refused_under_the_attachments_key_field(user, attachment, field):
    with pytest.raises(ClaimRejected) as refused:
        incoming_image(attachment, owner_id=user.id, file=None, key=f"uploads/{user.id}/x.jpg")

    assert (refused.value.field, refused.value.message) == (
        field,
        "Unknown upload key: request one from POST /api/uploads/.",
    )


def test_concurrent_second_claim_is_refused(user):
    upload = StagedUploadFactory(owner=user)
    # Both claims read the row before either spends it.
    staged = StagedUpload.objects.get(pk=upload.pk)
    stale_copy = StagedUpload.objects.get(pk=upload.pk)

    staged_upload_spend(staged)
    with pytest.raises(ClaimRejected) as refused:
        staged_upload_spend(stale_copy)

    assert (refused.value.field, refused.value.message) == (
        "image_key",
        "This upload has already been used.",
    )
    assert StagedUpload.objects.get(pk=upload.pk).claimed_at == staged.claimed_at
