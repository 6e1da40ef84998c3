from django.apps import AppConfig


class StorageConfig(AppConfig):
    """Stored files: the two storage backends (S3, local disk), the declarations of what each
    app stores (attachments), the write protocol, URLs and the orphan sweep."""

    name = "storage"
