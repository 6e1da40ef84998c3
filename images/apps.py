from django.apps import AppConfig


class ImagesConfig(AppConfig):
    """Image validation and sanitizing (images/processing.py): every image stored, whichever
    way it came in, is decoded, checked and re-encoded here first."""

    name = "images"
