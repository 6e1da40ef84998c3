"""Errors of PDF rendering, raised by pdfs.rendering; api/errors.py maps each to its
response."""


class PDFTooLong(Exception):
    """The document lays out to more pages than PDF_MAX_PAGES (`max_pages`) allows. The
    layout stops at the first page over it, so how many more is not known."""

    def __init__(self, max_pages: int) -> None:
        super().__init__(
            f"This résumé makes a PDF of more than {max_pages} pages, the most allowed. "
            "Shorten its content to download it as a PDF."
        )
        self.max_pages = max_pages
