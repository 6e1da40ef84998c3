from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import timezone

from exports.models import AccountExport
from storage.attachments import FileAttachment


@dataclass(frozen=True, kw_only=True)
class Exports(FileAttachment):
    """Exports, keys `<prefix>/<user id>/<uuid4>.zip`, in use until they expire: the object of
    an expired export (or of one whose build crashed before its row said so) is garbage."""

    def referencing_rows(self) -> models.QuerySet:
        return (
            super()
            .referencing_rows()
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        )


# Column file; written only by exports.services.
EXPORT = Exports(model=AccountExport, field="file", prefix="exports", owner_lookup="user")
