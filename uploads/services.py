import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from images.processing import (
    FORMAT_BY_CONTENT_TYPE,
    ImageRejected,
    SanitizedImage,
    check_size,
    read_upload,
    sanitize_image,
)
from storage.attachments import ImageAttachment, attachment_for_purpose
from storage.errors import FieldRejected, ObjectTooLarge
from storage.services import UNCHANGED, delete_quietly
from uploads.attachments import STAGED_UPLOADS
from uploads.models import StagedUpload, UploadPurpose

USED = "This upload has already been used."
EXPIRED = "This upload has expired; request a new one from POST /api/uploads/."


class ClaimRejected(FieldRejected):
    """An upload key that cannot be claimed: `field` is the request field that sent it."""


def staging_prefix(owner_id: int) -> str:
    return f"{STAGED_UPLOADS.prefix}/{owner_id}/"


def incoming_image(
    attachment: ImageAttachment, *, owner_id: int, file: File | None, key: str | None
) -> SanitizedImage | None:
    """The attachment's new image from a request: the `file` sent with it, or the direct
    upload `key` names (claimed here, so call outside any transaction). None (remove the
    image) and UNCHANGED pass through."""
    if key is not None:
        return staged_upload_claim(owner_id=owner_id, key=key, attachment=attachment)
    if file is None or file is UNCHANGED:
        return file
    try:
        return sanitize_image(read_upload(file))
    except ImageRejected as exc:
        raise FieldRejected(attachment.field, str(exc)) from exc


def staged_upload_create(
    *, owner: AbstractBaseUser, purpose: UploadPurpose, content_type: str, size: int
) -> tuple[StagedUpload, dict]:
    """Issue a presigned POST for one new staging key; returns the record and the form."""
    extension = FORMAT_BY_CONTENT_TYPE[content_type].extension
    key = f"{staging_prefix(owner.pk)}{uuid.uuid4().hex}.{extension}"
    expires_in = settings.UPLOAD_URL_EXPIRE_SECONDS
    form = default_storage.presigned_post(key, content_type, size, expires_in)
    upload = StagedUpload.objects.create(
        owner=owner,
        key=key,
        purpose=purpose,
        content_type=content_type,
        declared_size=size,
        expires_at=timezone.now() + timedelta(seconds=expires_in),
    )
    return upload, form


def staged_upload_claim(*, owner_id: int, key: str, attachment: ImageAttachment) -> SanitizedImage:
    """Spend the one claim attempt of the owner's staged upload `key`, then read, delete and
    sanitize its object. Call outside any transaction.

    The attempt is committed before the object is read, so that a file whose decoding fails,
    or never ends, cannot be claimed again; only an attempt that read nothing (no object yet,
    or the store failed) is given back. The client may have sent anything to S3 (a presigned
    POST's conditions are the store's to enforce, and not every store does), so size and
    content are checked here again.
    """
    field = attachment.key_field
    if not key.startswith(staging_prefix(owner_id)):
        raise ClaimRejected(field, "This upload key does not belong to you.")
    upload = StagedUpload.objects.filter(owner_id=owner_id, key=key).first()
    if upload is None:
        raise ClaimRejected(field, "Unknown upload key: request one from POST /api/uploads/.")
    if upload.purpose != attachment.upload_purpose:
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
        raise ClaimRejected(_key_field(upload), EXPIRED if expired else USED)
    upload.claimed_at = now


def _key_field(upload: StagedUpload) -> str:
    return attachment_for_purpose(upload.purpose).key_field


def _read_spent(upload: StagedUpload) -> bytes:
    """The bytes of a spent upload's object, which leaves the bucket once read."""
    try:
        data = default_storage.read(upload.key, settings.IMAGE_MAX_BYTES)
    except ObjectTooLarge as exc:
        delete_quietly(upload.key)
        check_size(exc.size)  # raises, in the words every other path uses
        raise
    except BaseException:
        _give_back(upload)
        raise
    if data is None:
        _give_back(upload)
        raise ClaimRejected(_key_field(upload), "Nothing has been uploaded to this key yet.")
    delete_quietly(upload.key)
    return data


def _give_back(upload: StagedUpload) -> None:
    StagedUpload.objects.filter(pk=upload.pk, claimed_at=upload.claimed_at).update(claimed_at=None)
    upload.claimed_at = None
