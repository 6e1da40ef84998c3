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


def delete_orphans(modified_before: datetime) -> list[StoredObject]:
    """Delete what find_orphans finds; returns the deleted objects."""
    orphans = find_orphans(modified_before)
    for orphan in orphans:
        default_storage.delete(orphan.name)
    return orphans


def describe_sweep(orphans: list[StoredObject], *, deleted: bool) -> str:
    """One line saying what a sweep found or deleted, in how many bytes, under which prefixes."""
    return (
        f"{'Deleted' if deleted else 'Found'} {len(orphans)} orphaned object(s), "
        f"{sum(orphan.size for orphan in orphans)} bytes, under {', '.join(swept_prefixes())}."
    )
