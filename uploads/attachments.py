from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from storage.attachments import StoredFiles
from uploads.models import StagedUpload


@dataclass(frozen=True, kw_only=True)
class StagedUploads(StoredFiles):
    """Direct uploads waiting for their claim: in use while claimable. A claim reads and
    deletes its object, so claimed and expired uploads' objects are garbage."""

    model: type[models.Model]
    prefix: str
    name_fields: tuple[str, ...]
    owner_lookup: str

    def referencing_rows(self) -> models.QuerySet:
        return (
            super()
            .referencing_rows()
            .filter(claimed_at__isnull=True, expires_at__gt=timezone.now())
        )


STAGED_UPLOADS = StagedUploads(
    model=StagedUpload, prefix="uploads", name_fields=("key",), owner_lookup="owner"
)
