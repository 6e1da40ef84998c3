from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser

from images.processing import ImageRejected, SanitizedImage, sanitize_image
from images.storage import read_object
from uploads.models import StagedUpload, UploadPurpose
from uploads.services import staging_prefix


class ClaimRejected(ValueError):
    """The key cannot be claimed; the message says why, for the client."""


@dataclass(frozen=True)
class ClaimedImage:
    upload: StagedUpload
    image: SanitizedImage


def staged_image_for_claim(
    *, owner: AbstractBaseUser, key: str, purpose: UploadPurpose
) -> ClaimedImage:
    """Check that `key` is the owner's unused upload for `purpose`, then read and sanitize it.

    The client may have sent anything to S3 (a presigned POST's conditions are the store's
    to enforce, and not every store does), so size and content are checked here again.
    """
    if not key.startswith(staging_prefix(owner.pk)):
        raise ClaimRejected("This upload key does not belong to you.")
    upload = StagedUpload.objects.filter(owner=owner, key=key).first()
    if upload is None:
        raise ClaimRejected("Unknown upload key: request one from POST /api/uploads/.")
    if upload.purpose != purpose:
        raise ClaimRejected(f"This upload was issued for {upload.get_purpose_display()}.")
    if upload.claimed_at is not None:
        raise ClaimRejected("This upload has already been used.")
    data = read_object(key, settings.IMAGE_MAX_BYTES)
    if data is None:
        raise ClaimRejected("Nothing has been uploaded to this key yet.")
    try:
        image = sanitize_image(data)
    except ImageRejected as exc:
        raise ClaimRejected(str(exc)) from exc
    return ClaimedImage(upload=upload, image=image)
