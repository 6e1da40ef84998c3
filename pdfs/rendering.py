"""HTML to PDF with WeasyPrint, fetching nothing: only `data:` URIs (the embedded photo) load."""

from dataclasses import dataclass

from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from pdfs.errors import PDFTooLong


@dataclass(frozen=True)
class RenderedPDF:
    data: bytes
    pages: int


def render_pdf(html: str) -> RenderedPDF:
    """A tagged PDF (PDF/UA-1) of `html`; PDFTooLong over PDF_MAX_PAGES pages."""
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, url_fetcher=fetcher).render(pdf_variant="pdf/ua-1")
    pages = len(document.pages)
    if pages > settings.PDF_MAX_PAGES:
        raise PDFTooLong(max_pages=settings.PDF_MAX_PAGES)
    return RenderedPDF(data=document.write_pdf(pdf_variant="pdf/ua-1"), pages=pages)
