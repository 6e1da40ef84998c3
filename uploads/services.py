import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from images.processing import (
    FORMAT_BY_CONTENT_TYPE,
    ImageRejected,
    SanitizedImage,
    check_size,
    sanitize_image,
)
from images.storage import ObjectTooLarge, delete_quietly, presigned_post, read_object
from uploads.models import StagedUpload, UploadPurpose

STAGING_PREFIX = "uploads"
USED = "This upload has already been used."
EXPIRED = "This upload has expired; request a new one from POST /api/uploads/."


class ClaimRejected(Exception):
    """An upload key that cannot be claimed: `field` is the request field that sent it,
    `message` says why, for the client."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def staging_prefix(owner_id: int) -> str:
    return f"{STAGING_PREFIX}/{owner_id}/"


def staged_upload_create(
    *, owner: AbstractBaseUser, purpose: UploadPurpose, content_type: str, size: int
) -> tuple[StagedUpload, dict]:
    """Issue a presigned POST for one new staging key; returns the record and the form."""
    extension = FORMAT_BY_CONTENT_TYPE[content_type].extension
    key = f"{staging_prefix(owner.pk)}{uuid.uuid4().hex}.{extension}"
    expires_in = settings.UPLOAD_URL_EXPIRE_SECONDS
    form = presigned_post(key, content_type, size, expires_in)
    upload = StagedUpload.objects.create(
        owner=owner,
        key=key,
        purpose=purpose,
        content_type=content_type,
        declared_size=size,
        expires_at=timezone.now() + timedelta(seconds=expires_in),
    )
    return upload, form


def staged_upload_claim(*, owner_id: int, key: str, purpose: UploadPurpose) -> SanitizedImage:
    """Spend the one claim attempt of the owner's staged upload `key`, then read, delete and
    sanitize its object. Call outside any transaction.

    The attempt is committed before the object is read, so that a file whose decoding fails,
    or never ends, cannot be claimed again; only an attempt that read nothing (no object yet,
    or the store failed) is given back. The client may have sent anything to S3 (a presigned
    POST's conditions are the store's to enforce, and not every store does), so size and
    content are checked here again.
    """
    field = purpose.key_field
    if not key.startswith(staging_prefix(owner_id)):
        raise ClaimRejected(field, "This upload key does not belong to you.")
    upload = StagedUpload.objects.filter(owner_id=owner_id, key=key).first()
    if upload is None:
        raise ClaimRejected(field, "Unknown upload key: request one from POST /api/uploads/.")
    if upload.purpose != purpose:
        raise ClaimRejected(field, f"This upload was issued for {upload.get_purpose_display()}.")
    staged_upload_spend(upload)
    try:
        return sanitize_image(_read_spent(upload))
    except ImageRejected as exc:
        raise ClaimRejected(field, str(exc)) from exc


def staged_upload_spend(upload: StagedUpload) -> None:
    """Use up the upload's claim attempt and commit that at once; of concurrent claims,
    exactly one gets past this."""
    now = timezone.now()
    # durable: refuse to run inside a transaction, whose rollback would give the attempt back.
    with transaction.atomic(durable=True):
        spent = StagedUpload.objects.filter(
            pk=upload.pk, claimed_at__isnull=True, expires_at__gt=now
        ).update(claimed_at=now)
    if not spent:
        expired = upload.claimed_at is None and upload.expires_at <= now
        raise ClaimRejected(UploadPurpose(upload.purpose).key_field, EXPIRED if expired else USED)
    upload.claimed_at = now


def _read_spent(upload: StagedUpload) -> bytes:
    """The bytes of a spent upload's object, which leaves the bucket once read."""
    try:
        data = read_object(upload.key, settings.IMAGE_MAX_BYTES)
    except ObjectTooLarge as exc:
        delete_quietly(default_storage, upload.key)
        check_size(exc.size)  # raises, in the words every other path uses
        raise
    except BaseException:
        _give_back(upload)
        raise
    if data is None:
        _give_back(upload)
        field = UploadPurpose(upload.purpose).key_field
        raise ClaimRejected(field, "Nothing has been uploaded to this key yet.")
    delete_quietly(default_storage, upload.key)
    return data


def _give_back(upload: StagedUpload) -> None:
    StagedUpload.objects.filter(pk=upload.pk, claimed_at=upload.claimed_at).update(claimed_at=None)
    upload.claimed_at = None
