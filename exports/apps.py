from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """An account's data as one zip: requested through the API, built by a background task,
    downloaded from S3 through a short-lived link, deleted after EXPORT_RETENTION_HOURS."""

    name = "exports"
    verbose_name = "Account exports"

    def ready(self) -> None:
        from exports.attachments import EXPORT
        from storage.attachments import register

        register(EXPORT)
