from django.apps import AppConfig


class UploadsConfig(AppConfig):
    """How an image comes in: sent with the request, or uploaded by the browser straight to S3
    with a presigned POST and claimed once by its key."""

    name = "uploads"

    def ready(self) -> None:
        from storage.attachments import register
        from uploads.attachments import STAGED_UPLOADS

        register(STAGED_UPLOADS)
