"""Writing an attachment's objects together with its row.

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
from typing import Any

from django.core.files.storage import default_storage
from django.db import models, transaction

from images.processing import SanitizedImage
from storage.attachments import ImageAttachment
from storage.backends import NewObject

logger = logging.getLogger(__name__)

THUMBNAIL_SUFFIX = "_thumb"
# Default of an argument that was not sent: keep the current value.
UNCHANGED: Any = object()


@dataclass(frozen=True)
class StoredImage:
    name: str
    thumbnail_name: str


def delete_quietly(name: str) -> None:
    try:
        default_storage.delete(name)
    except Exception:
        # Nothing points at it any more; cleanup_orphans will find it later.
        logger.exception("Could not delete stored object %s", name)


def delete_after_commit(names: list[str]) -> None:
    """Delete objects once the surrounding transaction commits (at once outside one)."""
    for name in filter(None, names):
        transaction.on_commit(lambda name=name: delete_quietly(name))


def image_store(attachment: ImageAttachment, image: SanitizedImage) -> StoredImage:
    """Write an image and its thumbnail under `<prefix>/<uuid4>`.

    The key says nothing about the owner: image URLs appear on public pages, and an
    account's sequential id would tell how many accounts exist and which images share one.
    """
    stem = f"{attachment.prefix}/{uuid.uuid4().hex}"
    extension, content_type = image.format.extension, image.format.content_type
    objects = [
        NewObject(f"{stem}.{extension}", image.data, content_type),
        NewObject(f"{stem}{THUMBNAIL_SUFFIX}.{extension}", image.thumbnail, content_type),
    ]
    try:
        name, thumbnail_name = default_storage.put_many(objects)
    except BaseException:
        # Either may have been written; deleting a key that was not is no error.
        for new in objects:
            delete_quietly(new.name)
        raise
    return StoredImage(name=name, thumbnail_name=thumbnail_name)


def image_attach(
    instance: models.Model, attachment: ImageAttachment, stored: StoredImage | None
) -> None:
    """Point the attachment's fields at `stored`, or clear them; old objects go after commit.

    Call inside the transaction that saves `instance`. The row is locked and its current
    images read from the database, so that of two concurrent replacements each deletes
    what the other stored, and exactly one image survives.
    """
    if instance.pk is not None:
        current = (
            type(instance)
            ._default_manager.select_for_update()
            .filter(pk=instance.pk)
            .values_list(*attachment.name_fields)
            .first()
        )
        delete_after_commit(list(current or ()))
    setattr(instance, attachment.field, stored.name if stored else None)
    setattr(instance, attachment.thumbnail_field, stored.thumbnail_name if stored else None)


@contextmanager
def image_write(
    attachment: ImageAttachment, image: SanitizedImage | None
) -> Iterator[StoredImage | None]:
    """Store `image` (if any), then run the block in a transaction.

    If the block fails, the new objects are deleted again and the error propagates.
    """
    stored = image_store(attachment, image) if image else None
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        if stored:
            delete_quietly(stored.name)
            delete_quietly(stored.thumbnail_name)
        raise


def update_with_image(
    instance: models.Model,
    *,
    attachment: ImageAttachment,
    image: SanitizedImage | None,
    fields: dict[str, Any],
) -> None:
    """Save the `fields` that are not UNCHANGED and, unless `image` is UNCHANGED, a new image
    (None removes it).

    The new objects are written first (and removed again if the save fails), the replaced
    ones go after commit, and only the changed columns are saved, so that a concurrent
    update of other fields survives.
    """
    changes = {name: value for name, value in fields.items() if value is not UNCHANGED}
    with image_write(attachment, image if image is not UNCHANGED else None) as stored:
        changed = [*changes, "updated_at"]
        if image is not UNCHANGED:
            image_attach(instance, attachment, stored)
            changed += attachment.name_fields
        for name, value in changes.items():
            setattr(instance, name, value)
        instance.save(update_fields=changed)
