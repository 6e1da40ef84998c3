from django.db import models
from django.utils.html import format_html

from storage.attachments import ImageAttachment
from storage.links import stored_url


def thumbnail_html(instance: models.Model, attachment: ImageAttachment, size: int = 64) -> str:
    """An <img> of the stored thumbnail for admin lists and forms, linking to the image."""
    image = getattr(instance, attachment.field)
    thumbnail = getattr(instance, attachment.thumbnail_field)
    if not image:
        return "—"
    full = stored_url(image.storage, image.name)
    preview = stored_url(thumbnail.storage, thumbnail.name) if thumbnail else full
    return format_html(
        '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="" '
        'style="max-width:{}px;max-height:{}px;object-fit:cover;border-radius:4px"></a>',
        full,
        preview,
        size,
        size,
    )
