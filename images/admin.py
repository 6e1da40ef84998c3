from django.db.models.fields.files import FieldFile
from django.utils.html import format_html


def thumbnail_html(image: FieldFile | None, size: int = 64) -> str:
    """An <img> preview for admin lists and forms; links to the full image."""
    if not image:
        return "—"
    url = image.url
    return format_html(
        '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="" '
        'style="max-width:{}px;max-height:{}px;object-fit:cover;border-radius:4px"></a>',
        url,
        url,
        size,
        size,
    )
