from django.apps import AppConfig
from django.core import checks


class PdfsConfig(AppConfig):
    name = "pdfs"
    verbose_name = "PDFs"

    def ready(self) -> None:
        from pdfs import fonts

        checks.register(fonts.fonts_check)
