"""Find stored objects that nothing references any more: under the prefix of every declared
kind of stored files (storage/attachments.py), the objects whose names no row holds."""

from datetime import datetime

from django.core.files.storage import default_storage

from storage.attachments import registered
from storage.backends import StoredObject


def swept_prefixes() -> list[str]:
    return [f"{files.prefix}/" for files in registered()]


def find_orphans(modified_before: datetime) -> list[StoredObject]:
    """Objects under the declared prefixes, last written before `modified_before`, that no
    row references. Recent objects are left alone: their row may not be committed yet."""
    orphans = []
    for files in registered():
        referenced = set(files.referenced_names())
        orphans.extend(
            obj
            for obj in default_storage.listing(f"{files.prefix}/")
            if obj.name not in referenced and obj.last_modified < modified_before
        )
    return sorted(orphans, key=lambda obj: obj.name)
