from typing import Any

from django.utils.html import format_html

from images.links import stored_url


def thumbnail_html(instance: Any, field: str, size: int = 64) -> str:
    """An <img> of the stored thumbnail for admin lists and forms, linking to the image."""
    image, thumbnail = getattr(instance, field), getattr(instance, f"{field}_thumbnail")
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
