from django.apps import AppConfig
from django.core import checks


class PdfsConfig(AppConfig):
    """Résumés as stored PDFs: rendered by Celery workers, downloaded from S3."""

    name = "pdfs"
    verbose_name = "PDFs"

    def ready(self) -> None:
        from pdfs import fonts
        from pdfs.attachments import RESUME_PDF
        from storage.attachments import register

        checks.register(fonts.fonts_check)
        register(RESUME_PDF)
