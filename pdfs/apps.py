from django.apps import AppConfig


class PdfsConfig(AppConfig):
    name = "pdfs"
    verbose_name = "PDFs"
