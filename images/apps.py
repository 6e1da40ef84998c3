from django.apps import AppConfig


class ImagesConfig(AppConfig):
    """Image validation, object keys and storage housekeeping shared by profiles and résumés."""

    name = "images"
