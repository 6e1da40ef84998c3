from typing import Any

from rest_framework import serializers

from exports.models import AccountExport
from exports.selectors import export_download_url


class ExportDownloadURLField(serializers.URLField):
    """A ready export's download link; null before."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: AccountExport) -> str | None:
        url = export_download_url(value)
        request = self.context.get("request")
        if url is None or request is None or url.startswith(("https://", "http://")):
            return url
        return request.build_absolute_uri(url)  # local disk: this site's /media/


class AccountExportSerializer(serializers.ModelSerializer):
    download_url = ExportDownloadURLField(
        help_text="When ready: a link that downloads the zip (resume-export-<username>-"
        "<YYYYMMDD>.zip), valid for EXPORT_URL_EXPIRE_SECONDS; ask again for a fresh one."
    )
    problem = serializers.CharField(
        read_only=True, allow_null=True, help_text="When failed: why, and what to do."
    )

    class Meta:
        model = AccountExport
        ref_name = "AccountExport"
        fields = ["id", "status", "created_at", "expires_at", "download_url", "problem"]
        read_only_fields = fields
        extra_kwargs = {
            "status": {
                "help_text": "pending (being built), ready (download it) or failed (see problem)."
            },
            "expires_at": {
                "help_text": "When it is deleted (EXPORT_RETENTION_HOURS after it was built, or "
                "failed); null while pending."
            },
        }

    def to_representation(self, instance: AccountExport) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["problem"] = data["problem"] or None
        return data
