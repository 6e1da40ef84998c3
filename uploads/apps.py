from django.apps import AppConfig


class UploadsConfig(AppConfig):
    """Direct browser-to-S3 uploads: presigned POSTs and their one-time claims."""

    name = "uploads"
