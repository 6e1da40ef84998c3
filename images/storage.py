"""Storage housekeeping for image fields: old objects go only after the row is committed."""

import logging
from typing import Any

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)


def storage_description(storage: Storage) -> str:
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        endpoint = getattr(storage, "endpoint_url", None) or "AWS"
        return f"S3 bucket {bucket!r} at {endpoint}"
    return f"local disk at {getattr(storage, 'location', '?')}"


def _delete_quietly(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:
        # The row no longer points at it; cleanup_orphans will find it later.
        logger.exception("Could not delete stored object %s", name)


def delete_after_commit(file: FieldFile | None) -> None:
    """Delete a stored file once the surrounding transaction commits (at once if none)."""
    if not file:
        return
    storage, name = file.storage, file.name
    transaction.on_commit(lambda: _delete_quietly(storage, name))


def assign_image(instance: Any, field_name: str, new_image: Any) -> None:
    """Put a new image (or None) on a model field; the replaced object is deleted after commit."""
    current: FieldFile = getattr(instance, field_name)
    if current and current is not new_image:
        delete_after_commit(current)
    setattr(instance, field_name, new_image)
