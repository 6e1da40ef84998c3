"""Where images are stored: generated keys, writes, deletes after commit, S3 specifics.

Database and storage cannot share a transaction, so writes follow one rule: new objects
are written before the row changes and deleted again if the change fails; replaced objects
are deleted only once the change has committed. Anything left over by a crash is found by
`manage.py cleanup_orphans`.
"""

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage, storages
from django.db import transaction
from django.utils import timezone
from storages.backends.s3boto3 import S3Boto3Storage

from images.processing import SanitizedImage

logger = logging.getLogger(__name__)

THUMBNAIL_SUFFIX = "_thumb"
# Default of an image argument that was not sent: keep the current image.
UNCHANGED: Any = object()


@dataclass(frozen=True)
class StoredImage:
    name: str
    thumbnail_name: str


def storage_description(storage: Storage) -> str:
    if isinstance(storage, S3Boto3Storage):
        return f"S3 bucket {storage.bucket_name!r} at {storage.endpoint_url or 'AWS'}"
    return f"local disk at {getattr(storage, 'location', '?')}"


def _write(storage: Storage, name: str, data: bytes, content_type: str) -> str:
    if isinstance(storage, S3Boto3Storage):
        # One PutObject through the storage's own client, with its object parameters
        # (Cache-Control). S3Boto3Storage.save() would also HEAD the key (which a fresh uuid4
        # never needs) and build a boto3 resource and a transfer manager on every call: about
        # a third of a 200 KB upload's CPU in `python -m bench.profile create`.
        storage.connection.meta.client.put_object(
            Bucket=storage.bucket_name,
            Key=name,
            Body=data,
            ContentType=content_type,
            **storage.get_object_parameters(name),
        )
        return name
    content = ContentFile(data)
    content.content_type = content_type
    return storage.save(name, content)


def delete_quietly(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:
        # Nothing points at it any more; cleanup_orphans will find it later.
        logger.exception("Could not delete stored object %s", name)


def store_image(image: SanitizedImage, *, prefix: str) -> StoredImage:
    """Write an image and its thumbnail under `<prefix>/<uuid4>`.

    The key says nothing about the owner: image URLs appear on public pages, and an
    account's sequential id would tell how many accounts exist and which images share one.
    """
    stem = f"{prefix}/{uuid.uuid4().hex}"
    extension, content_type = image.format.extension, image.format.content_type
    name = _write(default_storage, f"{stem}.{extension}", image.data, content_type)
    try:
        thumbnail_name = _write(
            default_storage, f"{stem}{THUMBNAIL_SUFFIX}.{extension}", image.thumbnail, content_type
        )
    except BaseException:
        delete_quietly(default_storage, name)
        raise
    return StoredImage(name=name, thumbnail_name=thumbnail_name)


def delete_after_commit(names: list[str]) -> None:
    """Delete objects once the surrounding transaction commits (at once outside one)."""
    for name in filter(None, names):
        transaction.on_commit(lambda name=name: delete_quietly(default_storage, name))


def set_image(instance: Any, field: str, stored: StoredImage | None) -> None:
    """Point `field` (and its thumbnail) at `stored`, or clear them; old objects go after commit.

    Call inside the transaction that saves `instance`. The row is locked and its current
    images read from the database, so that of two concurrent replacements each deletes
    what the other stored, and exactly one image survives.
    """
    thumbnail_field = f"{field}_thumbnail"
    if instance.pk is not None:
        current = (
            type(instance)
            .objects.select_for_update()
            .filter(pk=instance.pk)
            .values_list(field, thumbnail_field)
            .first()
        )
        delete_after_commit(list(current or ()))
    setattr(instance, field, stored.name if stored else None)
    setattr(instance, thumbnail_field, stored.thumbnail_name if stored else None)


@contextmanager
def image_write(image: SanitizedImage | None, *, prefix: str) -> Iterator[StoredImage | None]:
    """Store `image` (if any), then run the block in a transaction.

    If the block fails, the new objects are deleted again and the error propagates.
    """
    stored = store_image(image, prefix=prefix) if image else None
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        if stored:
            delete_quietly(default_storage, stored.name)
            delete_quietly(default_storage, stored.thumbnail_name)
        raise


def update_with_image(
    instance: Any,
    *,
    field: str,
    image: SanitizedImage | None,
    prefix: str,
    fields: dict[str, Any],
) -> None:
    """Save `fields` and, unless `image` is UNCHANGED, a new image (None removes it).

    The new objects are written first (and removed again if the save fails), the replaced
    ones go after commit, and only the changed columns are saved, so that a concurrent
    update of other fields survives.
    """
    new_image = image if image is not UNCHANGED else None
    with image_write(new_image, prefix=prefix) as stored:
        changed = [*fields, "updated_at"]
        if image is not UNCHANGED:
            set_image(instance, field, stored)
            changed += [field, f"{field}_thumbnail"]
        for name, value in fields.items():
            setattr(instance, name, value)
        instance.save(update_fields=changed)


# --- S3 only: direct browser uploads and bucket listings ------------------------------


class DirectUploadUnavailable(Exception):
    """The default storage is not S3, so browsers cannot upload to it directly."""


def s3_storage() -> S3Boto3Storage:
    storage = storages["default"]
    if not isinstance(storage, S3Boto3Storage):
        raise DirectUploadUnavailable(
            "Direct uploads need S3 storage; this server stores images on local disk. "
            "Upload the file through the API instead."
        )
    return storage


def presigned_post(key: str, content_type: str, size: int, expires_in: int) -> dict:
    """A presigned POST for exactly one key, one content type and one size in bytes."""
    storage = s3_storage()
    return storage.connection.meta.client.generate_presigned_post(
        Bucket=storage.bucket_name,
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[
            {"Content-Type": content_type},
            ["content-length-range", size, size],
        ],
        ExpiresIn=expires_in,
    )


@dataclass(frozen=True)
class StoredObject:
    name: str
    size: int
    last_modified: datetime


class ObjectTooLarge(Exception):
    """The object has more than the bytes the caller would read; `size` is its size."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def read_object(name: str, max_bytes: int) -> bytes | None:
    """The object's bytes, or None if it does not exist; ObjectTooLarge, before reading any
    byte, if its Content-Length is over max_bytes (and at most max_bytes + 1 are ever read)."""
    storage = s3_storage()
    client = storage.connection.meta.client
    try:
        response = client.get_object(Bucket=storage.bucket_name, Key=name)
    except client.exceptions.NoSuchKey:
        return None
    with response["Body"] as body:
        if response["ContentLength"] > max_bytes:
            raise ObjectTooLarge(response["ContentLength"])
        return body.read(max_bytes + 1)


def list_objects(prefix: str) -> Iterator[StoredObject]:
    """Every object under `prefix`, on S3 or on local disk."""
    storage = storages["default"]
    if isinstance(storage, S3Boto3Storage):
        for obj in storage.bucket.objects.filter(Prefix=prefix):
            yield StoredObject(obj.key, obj.size, obj.last_modified)
        return
    yield from _list_local(storage, prefix.rstrip("/"))


def _list_local(storage: Storage, folder: str) -> Iterator[StoredObject]:
    if not storage.exists(folder):
        return
    directories, files = storage.listdir(folder)
    for file_name in files:
        name = f"{folder}/{file_name}"
        yield StoredObject(name, storage.size(name), storage.get_modified_time(name))
    for directory in directories:
        yield from _list_local(storage, f"{folder}/{directory}")


def hours_ago(hours: float) -> datetime:
    return timezone.now() - timedelta(hours=hours)
