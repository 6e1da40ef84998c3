import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from images.processing import FORMAT_BY_CONTENT_TYPE
from images.storage import delete_after_commit, presigned_post
from uploads.models import StagedUpload, UploadPurpose

STAGING_PREFIX = "uploads"


def staging_prefix(owner_id: int) -> str:
    return f"{STAGING_PREFIX}/{owner_id}/"


def staged_upload_create(
    *, owner: AbstractBaseUser, purpose: UploadPurpose, content_type: str, size: int
) -> tuple[StagedUpload, dict]:
    """Issue a presigned POST for one new staging key; returns the record and the form."""
    extension = FORMAT_BY_CONTENT_TYPE[content_type].extension
    key = f"{staging_prefix(owner.pk)}{uuid.uuid4().hex}.{extension}"
    expires_in = settings.UPLOAD_URL_EXPIRE_SECONDS
    form = presigned_post(key, content_type, settings.IMAGE_MAX_BYTES, expires_in)
    upload = StagedUpload.objects.create(
        owner=owner,
        key=key,
        purpose=purpose,
        content_type=content_type,
        declared_size=size,
        expires_at=timezone.now() + timedelta(seconds=expires_in),
    )
    return upload, form


def staged_upload_consume(upload: StagedUpload) -> None:
    """Mark the upload claimed (once, even under concurrent claims) and drop its staging object
    after commit. Call inside the transaction that attaches the image."""
    claimed_at = timezone.now()
    claimed = StagedUpload.objects.filter(pk=upload.pk, claimed_at__isnull=True).update(
        claimed_at=claimed_at
    )
    if not claimed:
        field = UploadPurpose(upload.purpose).key_field
        raise ValidationError({field: ["This upload has already been used."]})
    upload.claimed_at = claimed_at
    delete_after_commit([upload.key])
