"""pdfs.rendering.render_pdf on the documents the themes render for print: text in reading
order, the structure tree and metadata, page breaks and numbers, fonts for every script,
nothing fetched from anywhere, the page limit."""

import base64
import itertools
import json
import re
from collections.abc import Iterator

import pytest
from PIL import Image

from images.processing import ImageRejected, sanitize_image
from pdfs.errors import PDFTooLong
from pdfs.rendering import render_pdf
from presentation.documents import render_resume_html
from presentation.themes import DEFAULT_THEME, themes
from tests.factories import ResumeFactory
from tests.support.images import encode, halves
from tests.support.pdfs import (
    COMPLETE_RESUME,
    body_text,
    font_names,
    glyphs_of,
    html_text,
    image_xobjects,
    normalized,
    pages_text,
    pdf_of,
    reader,
    recording_server,
    structure_tree,
    write_pngs,
)

pytestmark = pytest.mark.django_db

THEMES = sorted(themes())
COMPLETE = json.loads(COMPLETE_RESUME.read_text())
# The field that names each entry of a section, which every theme shows.
ENTRY_NAMES = {
    "work": "name",
    "volunteer": "organization",
    "education": "institution",
    "awards": "title",
    "certificates": "name",
    "publications": "name",
    "skills": "name",
    "languages": "language",
    "interests": "name",
    "references": "name",
    "projects": "name",
}
PHOTO_SIZE = (120, 90)


@pytest.fixture(scope="module")
def photo_src() -> str:
    return "data:image/jpeg;base64," + base64.b64encode(encode(halves(PHOTO_SIZE), "JPEG")).decode()


def searchable(text: str) -> str:
    """Text as compared here: whitespace normalized, case folded (themes may capitalize)."""
    return normalized(text).casefold()


def words(text: str) -> str:
    """Only the letters and digits of `text`, case folded: list markers, spacing and
    capitalization vary by theme."""
    return "".join(re.findall(r"\w+", text)).casefold()


# --- A real résumé, whole --------------------------------------------------------------


@pytest.mark.parametrize("theme", THEMES)
def test_the_text_holds_every_section_in_reading_order(theme, photo_src):
    resume = ResumeFactory(title="Jane's résumé", content=COMPLETE)
    html = render_resume_html(resume, theme=theme, photo_src=photo_src, for_print=True)
    pdf = render_pdf(html)
    text = searchable(" ".join(body_text(page) for page in pages_text(pdf.data)))
    dom_text, _ = html_text(html)
    dom_text = dom_text.casefold()

    basics = COMPLETE["basics"]
    markers = [basics["name"], basics["label"]]
    for section, field in ENTRY_NAMES.items():
        for entry in COMPLETE[section]:
            markers.append(entry[field])
    for job in COMPLETE["work"]:
        markers.extend(job["highlights"])
    positions = {marker: text.find(searchable(marker)) for marker in markers}
    assert [marker for marker, at in positions.items() if at < 0] == []

    # Order is checked on what occurs once ("Open Source", an interest, is in a summary too).
    once = {marker for marker in markers if dom_text.count(searchable(marker)) == 1}

    def in_order(sequence: list[str]) -> bool:
        at = [positions[marker] for marker in sequence if marker in once]
        return at == sorted(at)

    # The name, then the label, then the content; each section's entries in their order,
    # each job's highlights after it, in order.
    assert positions[basics["name"]] < positions[basics["label"]]
    assert positions[basics["label"]] < min(positions[m] for m in markers[2:])
    for section, field in ENTRY_NAMES.items():
        assert in_order([entry[field] for entry in COMPLETE[section]]), section
    for job in COMPLETE["work"]:
        assert in_order([job["name"], *job["highlights"]]), job["name"]
    # And the PDF reads in the document's order, whatever order the theme chose.
    dom_positions = {marker: dom_text.find(searchable(marker)) for marker in once}
    assert len(once) > len(markers) * 0.8
    assert sorted(once, key=positions.get) == sorted(once, key=dom_positions.get)


@pytest.mark.parametrize("theme", THEMES)
def test_the_pdf_is_tagged_and_carries_title_author_and_language(theme, photo_src):
    resume = ResumeFactory(title="Jane's résumé", content=COMPLETE)
    data = pdf_of(resume, theme=theme, photo_src=photo_src)
    catalog = reader(data).trailer["/Root"]

    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert catalog["/Lang"] == "en"
    metadata = reader(data).metadata
    assert metadata.title == "Jane's résumé"
    assert metadata.author == "Jane Developer"
    assert reader(data).pdf_header == "%PDF-1.7"
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert reader(data).xmp_metadata.dc_title == {"x-default": "Jane's résumé"}

    tree = structure_tree(data)
    tags = [element.tag for element in tree.walk()]
    assert tags.count("H1") == 1
    assert {"Document", "H2", "H3", "P", "L", "LI"} <= set(tags)
    figures = [element for element in tree.walk() if element.tag == "Figure"]
    assert len(figures) == 1
    assert "Jane Developer" in figures[0].alt
    headings = [element for element in tree.walk() if element.tag == "H2"]
    assert len(headings) >= len(ENTRY_NAMES)


@pytest.mark.parametrize("theme", THEMES)
def test_the_language_of_the_content_is_the_pdf_language(theme):
    content = {**COMPLETE, "meta": {"language": "de"}}
    data = pdf_of(ResumeFactory(content=content), theme=theme)
    assert reader(data).trailer["/Root"]["/Lang"] == "de"


@pytest.mark.parametrize("theme", THEMES)
def test_the_photo_is_embedded_from_its_data_uri(theme, photo_src):
    resume = ResumeFactory(content=COMPLETE)
    assert image_xobjects(pdf_of(resume, theme=theme, photo_src=photo_src)) == [PHOTO_SIZE]
    assert image_xobjects(pdf_of(resume, theme=theme, photo_src=None)) == []


@pytest.mark.parametrize("theme", THEMES)
def test_pages_as_png_for_people_to_look_at(theme, photo_src):
    data = pdf_of(ResumeFactory(content=COMPLETE), theme=theme, photo_src=photo_src)
    paths = write_pngs(data, f"pdf-{theme}")
    assert len(paths) == len(pages_text(data)) >= 1
    for number, path in enumerate(paths, start=1):
        with Image.open(path) as image:
            gray = image.convert("L")
        # Above the page number: text covers a few percent of a full page, a few lines of a
        # last page still well over a thousandth; a blank page has nothing there.
        body = gray.crop((0, 0, gray.width, int(gray.height * 0.9)))
        inked = sum(body.histogram()[:128]) / (body.width * body.height)
        assert inked > (0.02 if number == 1 else 0.001), path.name


# --- Pages -----------------------------------------------------------------------------

FILLER = "Built and ran the systems of a growing team, end to end, for years, with care."


def _entry(number: int) -> dict:
    return {
        "summary": FILLER,
        "highlights": [f"Shipped feature {n} of the product to every customer." for n in range(4)]
        + [f"Outcome{number:02d} measured."],
    }


def paged_content(lead_sentences: int) -> dict:
    """A résumé of many sections of a few entries, the whole pushed down by a summary of
    `lead_sentences`: some heading or entry meets the foot of a page for most lengths. Each
    entry in PAGED_ENTRIES starts with its name and ends with "Outcome<number>"."""
    return {
        "basics": {
            "name": "Page Breaker",
            "label": "Tester",
            "summary": " ".join(["Filler sentence that moves what follows."] * lead_sentences),
        },
        "work": [{"name": f"Company{n:02d}", "position": "Engineer", **_entry(n)} for n in (1, 2)],
        "volunteer": [
            {"organization": f"Association{n:02d}", "position": "Helper", **_entry(n)}
            for n in (3, 4)
        ],
        "projects": [
            {"name": f"Project{n:02d}", "description": FILLER, **_entry(n)} for n in (5, 6)
        ],
        "education": [
            {
                "institution": f"School{n:02d}",
                "area": "Physics",
                "studyType": "MSc",
                "courses": ["Optics", "Mechanics", "Thermodynamics", f"Outcome{n:02d}"],
            }
            for n in (7, 8)
        ],
        "awards": [{"title": "Award09", "awarder": "Jury", "summary": FILLER * 2}],
        "publications": [{"name": "Paper10", "publisher": "Journal", "summary": FILLER * 2}],
        "skills": [{"name": "Skill11", "keywords": ["Go", "SQL", "Outcome11"]}],
        "interests": [{"name": "Interest12", "keywords": ["Chess", "Outcome12"]}],
        "references": [{"name": "Referee13", "reference": FILLER * 2}],
    }


PAGED_ENTRIES = {
    1: "Company01",
    2: "Company02",
    3: "Association03",
    4: "Association04",
    5: "Project05",
    6: "Project06",
    7: "School07",
    8: "School08",
    11: "Skill11",
}
LEADS = (0, 5, 10, 15, 20, 25)


def with_style(html: str, css: str) -> str:
    return html.replace("</head>", f"<style>{css}</style></head>", 1)


def page_ending_with_heading(data: bytes, headings: list[str]) -> str | None:
    """The heading some page (but the last) ends with, if any."""
    for page in pages_text(data)[:-1]:
        text = words(body_text(page))
        for heading in headings:
            if text.endswith(words(heading)):
                return heading
    return None


def split_entries(data: bytes) -> list[str]:
    """The entries of paged_content whose first and last lines are on different pages."""
    pages = [words(page) for page in pages_text(data)]

    def page_of(marker: str) -> int:
        return next(index for index, page in enumerate(pages) if words(marker) in page)

    return [
        name
        for number, name in PAGED_ENTRIES.items()
        if page_of(name) != page_of(f"Outcome{number:02d}")
    ]


def paged_documents(theme: str) -> Iterator[tuple[int, str]]:
    """paged_content for each of LEADS, as the theme's print document."""
    for lead in LEADS:
        resume = ResumeFactory(content=paged_content(lead))
        yield lead, render_resume_html(resume, theme=theme, photo_src=None, for_print=True)


@pytest.mark.parametrize("theme", THEMES)
def test_a_heading_is_never_the_last_line_of_a_page(theme):
    without_rule = []
    for lead, html in paged_documents(theme):
        _, headings = html_text(html)
        assert page_ending_with_heading(render_pdf(html).data, headings) is None, lead
        control = render_pdf(with_style(html, "h2, h3 { break-after: auto !important }"))
        without_rule.append(page_ending_with_heading(control.data, headings))
    # The documents do put headings at the foot of a page when print.css does not keep
    # them with what follows: the check above can fail.
    assert any(without_rule)


@pytest.mark.parametrize("theme", THEMES)
def test_an_entry_that_fits_on_a_page_is_not_split(theme):
    without_rule = []
    for lead, html in paged_documents(theme):
        assert split_entries(render_pdf(html).data) == [], lead
        control = render_pdf(with_style(html, ".entry, li { break-inside: auto !important }"))
        without_rule.extend(split_entries(control.data))
    assert without_rule


@pytest.mark.parametrize("theme", THEMES)
def test_a_long_resume_has_numbered_pages(theme):
    content = {
        **COMPLETE,
        "work": [
            {**job, "name": f"{job['name']} {n}"} for n in range(4) for job in COMPLETE["work"]
        ],
    }
    html = render_resume_html(
        ResumeFactory(content=content), theme=theme, photo_src=None, for_print=True
    )
    pdf = render_pdf(html)
    pages = pages_text(pdf.data)
    assert pdf.pages == len(pages) == len(reader(pdf.data).pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"^\s*{number} / {pdf.pages}\s*$", page, re.M), number


def test_a_document_over_the_page_limit_is_refused(settings):
    resume = ResumeFactory(content=paged_content(0))
    html = render_resume_html(resume, theme=DEFAULT_THEME, photo_src=None, for_print=True)
    pages = render_pdf(html).pages
    assert pages >= 2

    settings.PDF_MAX_PAGES = pages
    assert render_pdf(html).pages == pages
    settings.PDF_MAX_PAGES = pages - 1
    with pytest.raises(PDFTooLong) as refused:
        render_pdf(html)
    assert refused.value.max_pages == pages - 1
    assert f"more than {pages - 1} pages" in str(refused.value)


def test_the_layout_stops_at_the_first_page_over_the_limit(settings):
    settings.PDF_MAX_PAGES = 3
    many = "".join(f"<p>Paragraph {n}</p>" for n in range(2000))  # about 50 pages
    with pytest.raises(PDFTooLong) as refused:
        render_pdf(f'<!doctype html><html lang="en"><body>{many}</body></html>')
    # Raised from inside WeasyPrint's page maker, not after a whole layout.
    assert any(entry.name == "make_all_pages" for entry in refused.traceback)


# --- Scripts ---------------------------------------------------------------------------

SCRIPTS = {
    "Latin": (
        "Erfahrene Ingenieurin für Datenbanken",
        r"Noto-(Sans|Serif)(-(Bold|Italic|BoldItalic))?$",
    ),
    "Cyrillic": ("Опытный инженер-программист", r"Noto-(Sans|Serif)(-(Bold|Italic|BoldItalic))?$"),
    "Greek": ("Έμπειρος μηχανικός λογισμικού", r"Noto-(Sans|Serif)(-(Bold|Italic|BoldItalic))?$"),
    "Chinese": ("经验丰富的软件工程师", r"Noto-(Sans|Serif)-CJK-"),
    "Japanese": ("経験豊富なソフトウェアエンジニアです", r"Noto-(Sans|Serif)-CJK-"),
    "Korean": ("경험이 풍부한 소프트웨어 엔지니어", r"Noto-(Sans|Serif)-CJK-"),
    "Arabic": ("مهندس برمجيات ذو خبرة طويلة", r"Noto-(Sans|Naskh|Kufi)-Arabic"),
    "Hebrew": ("מהנדס תוכנה מנוסה מאוד", r"Noto-(Sans|Serif)-Hebrew"),
}
RIGHT_TO_LEFT = ("Arabic", "Hebrew")


def scripts_content() -> dict:
    return {
        "basics": {"name": "Multi Script", "label": "Polyglot"},
        "work": [
            {"name": f"{script} company", "position": "Engineer", "summary": sample}
            for script, (sample, _) in SCRIPTS.items()
        ],
    }


def drawing_fonts(data: bytes, sample: str) -> set[str]:
    """The fonts (without subset prefixes) that draw the letters of `sample`."""
    glyphs = glyphs_of(data, sample)
    assert glyphs, f"{sample!r} is not in the text"
    return {glyph.font.split("+", 1)[-1] for glyph in glyphs if not glyph.char.isspace()}


@pytest.mark.parametrize("theme", THEMES)
def test_every_script_is_drawn_with_a_noto_font_that_has_its_glyphs(theme):
    data = pdf_of(ResumeFactory(content=scripts_content()), theme=theme)
    for script, (sample, font) in SCRIPTS.items():
        # The text extracts as written (a glyph maps back to its letter), and each letter
        # comes from a font of that script: fontconfig picks a font for a letter only if
        # it has a glyph for it, a missing font shows as another font's empty box.
        fonts = drawing_fonts(data, sample)
        assert fonts and all(re.match(font, name) for name in fonts), (script, fonts)
    assert any(
        name.startswith("Noto-Sans-CJK") or name.startswith("Noto-Serif-CJK")
        for name in font_names(data)
    )


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("language", "region"), [("ja", "JP"), ("zh-CN", "SC"), ("zh-TW", "TC")])
def test_han_characters_take_the_shapes_of_the_documents_language(theme, language, region):
    sample = "資深軟體工程師"  # Han only: kana and hangul would name their own language
    content = {"basics": {"name": "Han", "summary": sample}, "meta": {"language": language}}
    data = pdf_of(ResumeFactory(content=content), theme=theme)
    fonts = drawing_fonts(data, sample)
    assert fonts and all(re.match(rf"Noto-(Sans|Serif)-CJK-{region}", name) for name in fonts), (
        fonts
    )


@pytest.mark.parametrize("theme", THEMES)
def test_arabic_and_hebrew_paragraphs_run_right_to_left(theme):
    data = pdf_of(ResumeFactory(content=scripts_content()), theme=theme)
    with_latin = glyphs_of(data, SCRIPTS["Latin"][0])
    for script in RIGHT_TO_LEFT:
        glyphs = [
            glyph for glyph in glyphs_of(data, SCRIPTS[script][0]) if not glyph.char.isspace()
        ]
        lefts = [glyph.box[0] for glyph in glyphs]
        # In reading order the letters go leftwards, and the line starts at the right.
        assert lefts[0] > lefts[-1], script
        assert sum(b > a for a, b in itertools.pairwise(lefts)) < len(lefts) // 10, script
        assert glyphs[0].box[2] > with_latin[-1].box[2], script


# --- Nothing fetched -------------------------------------------------------------------


def hostile_markup(server: str) -> str:
    """Every way an HTML document or its CSS makes WeasyPrint load a URL."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        f'<image href="{server}/svg-in-data-uri.png" width="10" height="10"/></svg>'
    )
    svg_data = base64.b64encode(svg.encode()).decode()
    return f"""
<link rel="stylesheet" href="{server}/link.css"><link rel="attachment" href="{server}/attach.txt">
<link rel="stylesheet" href="file:///etc/passwd">
<style>
@import url("{server}/import.css");
@import url("http://169.254.169.254/latest/meta-data/iam/security-credentials/");
@font-face {{ font-family: Remote; src: url("{server}/font.woff2"), local("DejaVu Sans"); }}
body {{ font-family: Remote, sans-serif; background: url("{server}/background.png"); }}
</style>
<img src="{server}/img.png" alt="a"><img src="file:///etc/passwd" alt="b">
<img src="http://169.254.169.254/latest/meta-data/" alt="c">
<object data="{server}/object.png"></object><embed src="{server}/embed.png">
<a rel="attachment" href="{server}/anchor-attachment.txt">attached</a>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
<image href="{server}/inline-svg.png" width="10" height="10"/></svg>
<img src="data:image/svg+xml;base64,{svg_data}" alt="d">
<img src="data:image/png;base64,{svg_data}" alt="e">
<div style="background-image: url('{server}/inline-style.png')">styled</div>
"""


def assert_nothing_loaded(data: bytes) -> None:
    catalog = reader(data).trailer["/Root"]
    assert image_xobjects(data) == []
    assert "/EmbeddedFiles" not in catalog.get("/Names", {})
    assert "root:x:0:0" not in " ".join(pages_text(data))


@pytest.mark.parametrize("theme", THEMES)
def test_urls_in_the_content_are_shown_not_fetched(theme):
    with recording_server() as server:
        markup = hostile_markup(server.url)
        content = {
            "basics": {
                "name": "Mallory <style>@import url(" + server.url + "/name.css)</style>",
                "label": "file:///etc/passwd",
                "url": server.url + "/basics-url",
                "summary": markup,
                "profiles": [{"network": "Web", "url": server.url + "/profile"}],
            },
            "work": [
                {
                    "name": "http://169.254.169.254/latest/meta-data/",
                    "url": server.url + "/work-url",
                    "summary": markup,
                    "highlights": [f'<img src="{server.url}/highlight.png">'],
                }
            ],
        }
        data = pdf_of(ResumeFactory(content=content), theme=theme)
        assert server.requests == []
    assert_nothing_loaded(data)
    # The markup was printed as the owner typed it (compared without whitespace: long URLs
    # wrap anywhere).
    text = "".join(" ".join(pages_text(data)).split())
    assert f'<imgsrc="{server.url}/img.png"alt="a">' in text
    assert "file:///etc/passwd" in text


def test_the_renderer_fetches_nothing_the_html_itself_names(caplog):
    with recording_server() as server:
        markup = hostile_markup(server.url)
        html = (
            f'<!doctype html><html lang="en"><head><title>T</title>{markup}</head>'
            f"<body>{markup}<p>Still rendered</p></body></html>"
        )
        with caplog.at_level("DEBUG", logger="pdfs.rendering"):
            pdf = render_pdf(html)
        assert server.requests == []
    assert_nothing_loaded(pdf.data)
    assert "Still rendered" in " ".join(pages_text(pdf.data))
    refused = " ".join(
        record.getMessage() for record in caplog.records if record.name == "pdfs.rendering"
    )
    for path in (
        "link.css",
        "import.css",
        "font.woff2",
        "img.png",
        "object.png",
        "embed.png",
        "attach.txt",
        "anchor-attachment.txt",
        "inline-svg.png",
        "inline-style.png",
        "background.png",
    ):
        assert f"{server.url}/{path}" in refused, path
    assert "file:///etc/passwd" in refused
    assert "http://169.254.169.254/latest/meta-data/" in refused
    assert "data:image/svg+xml" in refused


def test_weasyprints_own_fetcher_would_have_fetched_them():
    """The control: the same markup, rendered with WeasyPrint's default URL fetcher, reaches
    the server, so the zero above is the fetcher's doing."""
    from weasyprint import HTML

    with recording_server() as server:
        html = f"""<!doctype html><html><head><link rel="stylesheet" href="{server.url}/link.css">
<style>@import url("{server.url}/import.css");</style></head>
<body><img src="{server.url}/img.png" alt="a"></body></html>"""
        HTML(string=html).write_pdf()
        assert sorted(server.requests) == ["/img.png", "/import.css", "/link.css"]


# --- Embedded images -------------------------------------------------------------------


def image_document(src: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><title>T</title></head>'
        f'<body><img src="{src}" alt="photo"></body></html>'
    )


def data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_embedded_images_of_each_type_are_drawn(fmt):
    src = data_uri(f"image/{fmt.lower()}", encode(halves((40, 20)), fmt))
    assert image_xobjects(render_pdf(image_document(src)).data) == [(40, 20)]


def test_an_image_that_is_not_what_its_type_says_is_not_drawn():
    png = encode(halves((40, 20)), "PNG")
    assert image_xobjects(render_pdf(image_document(data_uri("image/jpeg", png))).data) == []
    assert image_xobjects(render_pdf(image_document(data_uri("text/html", png))).data) == []


def test_an_embedded_image_over_the_size_limit_is_not_drawn(settings):
    png = encode(halves((40, 20)), "PNG")
    settings.IMAGE_MAX_BYTES = len(png)
    assert image_xobjects(render_pdf(image_document(data_uri("image/png", png))).data) == [(40, 20)]
    settings.IMAGE_MAX_BYTES = len(png) - 1
    assert image_xobjects(render_pdf(image_document(data_uri("image/png", png))).data) == []


def test_with_the_renderer_loaded_uploads_still_refuse_truncated_images():
    # WeasyPrint, imported by pdfs.rendering (above), turns on Pillow's loading of truncated
    # images for the whole process; a worker or an in-process render shares it with uploads.
    truncated = encode(halves((400, 400)), "PNG")[:300]
    with pytest.raises(ImageRejected, match="corrupt"):
        sanitize_image(truncated)
