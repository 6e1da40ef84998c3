"""An HTML document to a PDF, with WeasyPrint: tagged (PDF/UA-1, so screen readers and
applicant-tracking systems read it in order), its title, author and language taken from the
HTML (`<title>`, `<meta name="author">`, `<html lang>`), at most PDF_MAX_PAGES pages.

The renderer loads nothing from the network or the disk: the only URLs it resolves are
`data:` URIs of the image types the documents embed (the photo). Every other URL an HTML or
CSS names (`file:`, `http(s):`, `@import`, `@font-face`) is refused, so text that slipped
into the markup cannot make a worker fetch anything.
"""

import base64
import binascii
import logging
import threading
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from django.conf import settings
from weasyprint import HTML, LOGGER, PROGRESS_LOGGER
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from pdfs.errors import PDFTooLong

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"

# The first bytes of each image type a document may embed: the data must be what it says
# (an "image/png" that is really SVG would be parsed as SVG, which can name other URLs).
_IMAGE_SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}


@dataclass(frozen=True)
class RenderedPDF:
    data: bytes
    pages: int


class URLRefused(ValueError):
    """A URL the renderer does not load (WeasyPrint logs it and goes on without it)."""


def _embedded_image(url: str) -> tuple[str, bytes]:
    """The media type and bytes of a `data:` URI of an image type we embed, at most
    IMAGE_MAX_BYTES; URLRefused for anything else."""
    if url[:5].lower() != "data:" or "," not in url:
        raise URLRefused("only data: URIs are loaded")
    header, payload = url[5:].split(",", 1)
    media_type, *parameters = (part.strip().lower() for part in header.split(";"))
    if media_type not in _IMAGE_SIGNATURES:
        raise URLRefused(f"data: URI of type {media_type or 'text/plain'!r}")
    limit = settings.IMAGE_MAX_BYTES
    # Bounded before decoding: base64 is 4 characters for 3 bytes, percent-encoding 3 for 1.
    if len(payload) > limit * 3:
        raise URLRefused("data: URI larger than IMAGE_MAX_BYTES")
    try:
        if "base64" in parameters:
            data = base64.b64decode(payload, validate=False)
        else:
            data = unquote_to_bytes(payload)
    except (binascii.Error, ValueError) as error:
        raise URLRefused(f"data: URI not decodable: {error}") from error
    if len(data) > limit:
        raise URLRefused("data: URI larger than IMAGE_MAX_BYTES")
    if not data.startswith(_IMAGE_SIGNATURES[media_type]) or (
        media_type == "image/webp" and data[8:12] != b"WEBP"
    ):
        raise URLRefused(f"data: URI is not a {media_type} image")
    return media_type, data


class EmbeddedImagesOnly(URLFetcher):
    """WeasyPrint's URL fetcher, reduced to decoding the images embedded as `data:` URIs."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        try:
            media_type, data = _embedded_image(url)
        except URLRefused as refusal:
            logger.debug("PDF rendering refused %.100s: %s", url, refusal)
            raise
        return URLFetcherResponse(url, data, {"Content-Type": media_type})


_fetcher = EmbeddedImagesOnly()
_local = threading.local()


def _font_configuration() -> FontConfiguration:
    """This thread's FontConfiguration, built once: building one loads fontconfig's whole
    configuration, and it caches font metrics across renders. Nothing adds fonts to it (no
    `@font-face` can load), so every render sees the same fonts. Per thread, since Pango's
    font map is not thread-safe."""
    font_config = getattr(_local, "font_config", None)
    if font_config is None:
        font_config = _local.font_config = FontConfiguration()
    return font_config


_LAYOUT_PAGE = "Step 5 - Creating layout - Page %d"


class _PageLimit(logging.Filter):
    """WeasyPrint announces on its progress logger each page it is about to lay out: past
    the page limit of the render under way, the layout stops there (PDFTooLong) instead of
    laying out the rest of a long document first (at the content bounds, 200 pages and
    seconds of CPU). No progress record goes further: one a step of every render would
    flood the logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        limit = getattr(_local, "page_limit", None)
        if limit is not None and record.msg == _LAYOUT_PAGE and record.args[0] > limit:
            raise PDFTooLong(max_pages=limit)
        return False


PROGRESS_LOGGER.setLevel(logging.INFO)  # the filter sees only records the level lets through
# WeasyPrint warns, at every render, about the CSS it leaves to browsers (the themes' phone
# layouts in media queries, colour adjustment); what it cannot render is an error. Set here,
# not in LOGGING: configuring a parent logger there would reset the progress logger's level.
LOGGER.setLevel(logging.ERROR)
PROGRESS_LOGGER.addFilter(_PageLimit())


def render_pdf(html: str) -> RenderedPDF:
    """`html` (a whole document) as a tagged PDF; PDFTooLong beyond PDF_MAX_PAGES pages."""
    limit = settings.PDF_MAX_PAGES
    _local.page_limit = limit
    try:
        document = HTML(string=html, url_fetcher=_fetcher).render(
            font_config=_font_configuration(), pdf_variant=PDF_VARIANT
        )
    finally:
        _local.page_limit = None
    pages = len(document.pages)
    if pages > limit:  # should the progress log ever change, the limit holds all the same
        raise PDFTooLong(max_pages=limit)
    return RenderedPDF(data=document.write_pdf(pdf_variant=PDF_VARIANT), pages=pages)
