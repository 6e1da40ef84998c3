"""Reading PDFs in tests: text per page (pypdfium2, the layout's reading order), the font
of each character, the structure tree and metadata (pypdf), PNG renders; and a local HTTP
server that records every request, to prove a render fetched nothing."""

import ctypes
import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2
import pypdfium2.raw as pdfium_raw
from pypdf.generic import ArrayObject, DictionaryObject

from pdfs.rendering import render_pdf
from presentation.documents import render_resume_html
from resumes.models import Resume

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# A real résumé filling every section (tests/presentation/documents/README.md says whose).
COMPLETE_RESUME = (
    Path(__file__).resolve().parents[1] / "presentation/documents/complete-resume.json"
)
PAGE_NUMBER = re.compile(r"^\s*(\d+) / (\d+)\s*$", re.M)


def pdf_of(resume: Resume, *, theme: str, photo_src: str | None = None) -> bytes:
    html = render_resume_html(resume, theme=theme, photo_src=photo_src, for_print=True)
    return render_pdf(html).data


def normalized(text: str) -> str:
    """Whitespace (line breaks included) as single spaces."""
    return " ".join(text.split())


@contextmanager
def opened(data: bytes) -> Iterator[pypdfium2.PdfDocument]:
    document = pypdfium2.PdfDocument(data)
    try:
        yield document
    finally:
        document.close()


def pages_text(data: bytes) -> list[str]:
    """The text of each page, in the order of its content (the layout's reading order)."""
    texts = []
    with opened(data) as document:
        for page in document:
            text_page = page.get_textpage()
            texts.append(text_page.get_text_range().replace("\r\n", "\n"))
            text_page.close()
            page.close()
    return texts


def body_text(page_text: str) -> str:
    """A page's text without its page number ("n / N", drawn in the page's margin)."""
    return PAGE_NUMBER.sub("", page_text)


@dataclass
class Glyph:
    char: str
    font: str
    box: tuple[float, float, float, float]  # left, bottom, right, top, in points


def glyphs_of(data: bytes, text: str) -> list[Glyph]:
    """Each character of the first occurrence of `text` in the PDF, with the font that draws
    it and its box; [] if `text` is not there."""
    with opened(data) as document:
        for page in document:
            text_page = page.get_textpage()
            page_text = text_page.get_text_range()
            start = page_text.find(text)
            if start >= 0:
                found = [
                    _glyph(text_page, index, page_text[index])
                    for index in range(start, start + len(text))
                ]
                text_page.close()
                page.close()
                return found
            text_page.close()
            page.close()
    return []


def _glyph(text_page: pypdfium2.PdfTextPage, index: int, char: str) -> Glyph:
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    pdfium_raw.FPDFText_GetFontInfo(text_page.raw, index, name, len(name), ctypes.byref(flags))
    return Glyph(char=char, font=name.value.decode(), box=text_page.get_charbox(index))


def write_pngs(data: bytes, prefix: str) -> list[Path]:
    """Every page as test-artifacts/<prefix>-p<N>.png (N from 1), in place of an earlier
    run's; returns the paths."""
    ARTIFACTS.mkdir(exist_ok=True)
    for earlier in ARTIFACTS.glob(f"{prefix}-p*.png"):
        earlier.unlink()
    paths = []
    with opened(data) as document:
        for number, page in enumerate(document, start=1):
            path = ARTIFACTS / f"{prefix}-p{number}.png"
            page.render(scale=1.5).to_pil().save(path)
            page.close()
            paths.append(path)
    return paths


def reader(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


@dataclass
class StructElement:
    tag: str
    alt: str | None
    children: list["StructElement"] = field(default_factory=list)

    def walk(self) -> Iterator["StructElement"]:
        yield self
        for child in self.children:
            yield from child.walk()


def structure_tree(data: bytes) -> StructElement:
    """The PDF's logical structure (/StructTreeRoot), as tags and alternate texts."""
    root = reader(data).trailer["/Root"]["/StructTreeRoot"].get_object()
    return StructElement("StructTreeRoot", None, _struct_children(root.get("/K")))


def _struct_children(kids: Any) -> list[StructElement]:
    if kids is None:
        return []
    kids = kids.get_object()
    if not isinstance(kids, ArrayObject):
        kids = [kids]
    elements = []
    for kid in kids:
        kid = kid.get_object()
        # Integers (marked-content ids) and object references (annotations) are content.
        if isinstance(kid, DictionaryObject) and kid.get("/Type") != "/OBJR" and "/S" in kid:
            alt = kid.get("/Alt")
            elements.append(
                StructElement(
                    str(kid["/S"])[1:],
                    str(alt) if alt is not None else None,
                    _struct_children(kid.get("/K")),
                )
            )
    return elements


def font_names(data: bytes) -> set[str]:
    """The /BaseFont of every font the pages use, without the subset prefix (ABCDEF+)."""
    names = set()
    for page in reader(data).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"])[1:].split("+", 1)[-1])
    return names


def image_xobjects(data: bytes) -> list[tuple[int, int]]:
    """(width, height) of every image the pages draw, each once (pages share resources)."""
    images = {}
    for page in reader(data).pages:
        for reference in page["/Resources"].get("/XObject", {}).values():
            xobject = reference.get_object()
            if xobject.get("/Subtype") == "/Image":
                images[reference.idnum] = (int(xobject["/Width"]), int(xobject["/Height"]))
    return list(images.values())


@dataclass
class RecordingServer:
    url: str
    requests: list[str]


@contextmanager
def recording_server() -> Iterator[RecordingServer]:
    """An HTTP server on 127.0.0.1 that records the path of every request (and answers with
    a stylesheet, as any server would answer something)."""
    recorded: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            recorded.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield RecordingServer(url=f"http://127.0.0.1:{server.server_address[1]}", requests=recorded)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _DocumentText(HTMLParser):
    """The text of an HTML document's body, in document order, and its h2/h3 headings."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.headings: list[str] = []
        self._skip = 0
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("head", "style", "script", "title"):
            self._skip += 1
        elif tag in ("h2", "h3"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "style", "script", "title"):
            self._skip -= 1
        elif tag in ("h2", "h3") and self._heading is not None:
            self.headings.append(normalized("".join(self._heading)))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)
            if self._heading is not None:
                self._heading.append(data)


def html_text(html: str) -> tuple[str, list[str]]:
    """The body's text (whitespace normalized) and its h2/h3 headings, in document order."""
    parser = _DocumentText()
    parser.feed(html)
    return normalized(" ".join(parser.parts)), parser.headings
