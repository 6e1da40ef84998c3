"""What the project stores, declared once per kind of file.

A declaration says under which key prefix a kind of object lives, which columns of which
model hold the names of the objects still in use, and whose rows they are. Apps declare
theirs (`<app>/attachments.py`) and register them in `AppConfig.ready()`; the write protocol
(storage/services.py), the admin's previews, direct-upload claims, the orphan sweep and
account deletion read the declaration instead of repeating its field names and prefix, so a
new kind of stored file is swept and deleted with its account by being declared.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models


class StoredFiles:
    """Objects under `<prefix>/` whose names rows of `model` keep in `name_fields`; any other
    object under the prefix is an orphan. A row belongs to the user its `owner_lookup` (a
    lookup path from `model` to the user: "owner", "user", "resume__owner") names.
    Subclasses are frozen dataclasses that provide the four."""

    model: type[models.Model]
    prefix: str
    name_fields: tuple[str, ...]
    owner_lookup: str

    def referencing_rows(self) -> models.QuerySet:
        """The rows whose names count as in use: all of them, unless a kind says otherwise."""
        return self.model._default_manager.all()

    def referenced_names(self) -> Iterator[str]:
        for names in self.referencing_rows().values_list(*self.name_fields).iterator():
            yield from filter(None, names)

    def names_owned_by(self, user_id: int) -> Iterator[str]:
        """The names every row of the user holds, in use or not, its rows locked (call
        inside a transaction): no concurrent change can replace a name before they go."""
        rows = self.model._default_manager.filter(**{self.owner_lookup: user_id})
        for names in rows.select_for_update().values_list(*self.name_fields).iterator():
            yield from filter(None, names)


@dataclass(frozen=True, kw_only=True)
class ImageAttachment(StoredFiles):
    """An image of a row, stored with its thumbnail: object names in `field` and
    `thumbnail_field` (default `<field>_thumbnail`), keys `<prefix>/<uuid4>.<ext>` and
    `<prefix>/<uuid4>_thumb.<ext>`.

    `field` is also the request field that sends a file; a direct upload issued for
    `upload_purpose` is claimed by sending its key in `key_field` (default `<field>_key`).
    """

    model: type[models.Model]
    field: str
    prefix: str
    owner_lookup: str
    upload_purpose: str
    thumbnail_field: str = ""
    key_field: str = ""

    def __post_init__(self) -> None:
        # Frozen: the defaults that depend on `field` are set the way dataclasses set fields.
        object.__setattr__(
            self, "thumbnail_field", self.thumbnail_field or f"{self.field}_thumbnail"
        )
        object.__setattr__(self, "key_field", self.key_field or f"{self.field}_key")

    @property
    def name_fields(self) -> tuple[str, ...]:
        return (self.field, self.thumbnail_field)


@dataclass(frozen=True, kw_only=True)
class FileAttachment(StoredFiles):
    """One stored object per row, its name in `field`, its key `<prefix>/<uuid4>.<ext>`."""

    model: type[models.Model]
    field: str
    prefix: str
    owner_lookup: str

    @property
    def name_fields(self) -> tuple[str, ...]:
        return (self.field,)


_registry: dict[str, StoredFiles] = {}


def register(files: StoredFiles) -> None:
    """Make a declaration known to the orphan sweep and to direct-upload claims."""
    registered_there = _registry.setdefault(files.prefix, files)
    if registered_there != files:
        raise ImproperlyConfigured(
            f"Two kinds of stored files share the prefix {files.prefix!r}: "
            f"{registered_there!r} and {files!r}."
        )


def registered() -> list[StoredFiles]:
    return [_registry[prefix] for prefix in sorted(_registry)]


def names_owned_by(user_id: int) -> list[str]:
    """Every stored object's name that rows of the user hold, of every declared kind: what
    deleting the account deletes. Call inside the transaction that deletes the rows (they
    are locked until it ends)."""
    return [name for files in registered() for name in files.names_owned_by(user_id)]


def attachment_for_purpose(purpose: str) -> ImageAttachment:
    """The attachment that direct uploads of `purpose` are claimed for."""
    for files in _registry.values():
        if isinstance(files, ImageAttachment) and files.upload_purpose == purpose:
            return files
    raise LookupError(f"No attachment is declared for the upload purpose {purpose!r}.")
