from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from presentation.context import text_direction

register = template.Library()


@register.filter
def dir_attr(text: str, document_dir: str) -> SafeString | str:
    """` dir="rtl"` (or "ltr") for an element holding `text` when its first strong character
    goes the other way than the document (`document_dir`); nothing otherwise. Browsers and
    WeasyPrint alike then lay it out right (WeasyPrint knows no `dir="auto"`)."""
    direction = text_direction(str(text))
    if direction and direction != document_dir:
        return format_html(' dir="{}"', direction)
    return ""
