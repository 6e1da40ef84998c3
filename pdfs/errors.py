"""Errors of PDF rendering, raised by pdfs.rendering; api/errors.py maps each to its
response."""


class PDFTooLong(Exception):
    """The document lays out to more pages than PDF_MAX_PAGES (`limit`) allows."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"The PDF would have more than {limit} pages, the most allowed.")
        self.limit = limit
