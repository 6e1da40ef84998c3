"""Errors of PDF rendering, raised by pdfs.rendering; api/errors.py maps each to its
response."""


class PDFTooLong(Exception):
    """The document lays out to more pages than PDF_MAX_PAGES allows."""

    def __init__(self, pages: int, limit: int) -> None:
        super().__init__(f"The PDF would have {pages} pages; at most {limit} are allowed.")
        self.pages = pages
        self.limit = limit
