from django.apps import AppConfig


class PdfsConfig(AppConfig):
    """Résumés as stored PDFs: rendered by Celery workers, downloaded from S3."""

    name = "pdfs"
    verbose_name = "PDFs"

    def ready(self) -> None:
        from pdfs.attachments import RESUME_PDF
        from storage.attachments import register

        register(RESUME_PDF)
