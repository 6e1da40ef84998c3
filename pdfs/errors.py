"""Errors of PDF rendering; api/errors.py maps each to its response."""


class PDFTooLong(Exception):
    """The résumé makes a PDF of more pages than PDF_MAX_PAGES allows."""

    def __init__(self, pages: int, max_pages: int) -> None:
        super().__init__(
            f"This résumé makes a PDF of {pages} pages; at most {max_pages} are allowed. "
            "Shorten its content to download it as a PDF."
        )
        self.pages = pages
        self.max_pages = max_pages
