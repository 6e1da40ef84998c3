from collections.abc import Iterator

from django.apps import AppConfig


def claimable_uploads() -> Iterator[str]:
    """Staging objects that may still be claimed; claimed or expired ones are garbage."""
    from django.utils import timezone

    from uploads.models import StagedUpload

    yield from StagedUpload.objects.filter(
        claimed_at__isnull=True, expires_at__gt=timezone.now()
    ).values_list("key", flat=True)


class UploadsConfig(AppConfig):
    """Direct browser-to-S3 uploads: presigned POSTs and their one-time claims."""

    name = "uploads"

    def ready(self) -> None:
        from images.orphans import register_prefix
        from uploads.services import STAGING_PREFIX

        register_prefix(f"{STAGING_PREFIX}/", claimable_uploads)
