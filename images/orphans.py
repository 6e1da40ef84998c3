"""Find stored objects that nothing references any more.

Apps that store objects register their key prefix and a function listing the names their
rows still reference (see each app's AppConfig.ready).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from images.storage import StoredObject, list_objects


@dataclass(frozen=True)
class StoragePrefix:
    prefix: str
    referenced_names: Callable[[], Iterable[str]]


_registry: dict[str, StoragePrefix] = {}


def register_prefix(prefix: str, referenced_names: Callable[[], Iterable[str]]) -> None:
    _registry[prefix] = StoragePrefix(prefix, referenced_names)


def registered_prefixes() -> list[str]:
    return sorted(_registry)


def find_orphans(modified_before: datetime) -> list[StoredObject]:
    """Objects under the registered prefixes, last written before `modified_before`, that
    no row references. Recent objects are left alone: their row may not be committed yet."""
    orphans = []
    for entry in _registry.values():
        referenced = set(entry.referenced_names())
        orphans.extend(
            obj
            for obj in list_objects(entry.prefix)
            if obj.name not in referenced and obj.last_modified < modified_before
        )
    return sorted(orphans, key=lambda obj: obj.name)
