"""A résumé as a themed HTML document (presentation.documents.render_resume_html): what the
page, the preview and the PDF are made from."""

from datetime import datetime
from typing import Any

import pytest

from presentation.context import PublicPage
from presentation.documents import render_resume_html
from presentation.themes import print_stylesheet, themes
from resumes.models import Resume
from tests.support.html import Element, parse

THEMES = sorted(themes())
SECTIONS = (
    "work",
    "volunteer",
    "education",
    "awards",
    "certificates",
    "publications",
    "skills",
    "languages",
    "interests",
    "references",
    "projects",
)
DATE_FIELDS = {"startDate", "endDate", "date", "releaseDate"}
PHOTO = "https://photos.example/jane.jpg"


def render(content: dict[str, Any], theme: str = "classic", **kwargs: Any) -> Element:
    resume = Resume(title="Jane Developer – Engineer", summary="Fallback summary", content=content)
    kwargs.setdefault("photo_src", PHOTO)
    return parse(render_resume_html(resume, theme=theme, **kwargs))


def shown_date(value: str) -> str:
    """How the page writes a date: "Mar 2021", or the year alone."""
    if len(value) == 4:
        return value
    return datetime.strptime(value[:7], "%Y-%m").strftime("%b %Y")


def test_the_three_themes_exist():
    assert {"classic", "modern", "compact"} <= set(THEMES)


@pytest.mark.parametrize("theme", THEMES)
def test_every_theme_shows_every_value_of_every_section(theme, full_document):
    page = render(full_document, theme)

    assert {section for section in SECTIONS if full_document.get(section)} == set(SECTIONS)
    for name in SECTIONS:
        (section,) = page.find_all("section", class_=f"section-{name}")
        assert len(section.find_all("h2")) == 1
        entries = section.find_all(class_="entry")
        assert len(entries) == len(full_document[name])
        for entry, item in zip(entries, full_document[name], strict=True):
            assert len(entry.find_all("h3")) == 1
            links = {a.attrs["href"] for a in entry.find_all("a")}
            for key, value in item.items():
                if key in DATE_FIELDS:
                    assert shown_date(value) in entry.text, (name, key)
                elif key == "url":
                    assert value in links, (name, key)
                else:
                    for text in value if isinstance(value, list) else [value]:
                        assert text in entry.text, (name, key)


@pytest.mark.parametrize("theme", THEMES)
def test_every_theme_follows_the_markup_contract(theme, full_document):
    basics = full_document["basics"]
    page = render(full_document, theme)
    html = page.find("html")
    head = {
        m.attrs.get("name") or m.attrs.get("property"): m.attrs["content"]
        for m in page.find_all("meta")
        if "content" in m.attrs
    }

    assert (html.attrs["lang"], html.attrs["dir"]) == ("en", "ltr")
    assert page.find("title").text == "Jane Developer – Engineer"
    assert head["author"] == basics["name"]
    assert head["description"] == basics["summary"]
    assert head["viewport"] == "width=device-width, initial-scale=1"
    assert [h1.text for h1 in page.find_all("h1")] == [basics["name"]]
    assert len(page.find_all("h2")) >= len(SECTIONS)
    (photo,) = page.find_all("img")
    assert (photo.attrs["src"], photo.attrs["alt"]) == (PHOTO, f"Photo of {basics['name']}")
    # The contact details: e-mail and links are links, the rest text.
    links = {a.attrs["href"] for a in page.find_all("a")}
    assert f"mailto:{basics['email']}" in links
    assert basics["url"] in links
    assert {profile["url"] for profile in basics["profiles"]} <= links
    body = page.find("body").text
    for value in (basics["phone"], basics["location"]["city"], basics["location"]["region"]):
        assert value in body
    # basics.image is never shown (the résumé's own photo is): nothing loads from elsewhere.
    assert basics["image"] not in str(
        render_resume_html(Resume(content=full_document), theme=theme, photo_src=None)
    )


@pytest.mark.parametrize("theme", THEMES)
def test_every_theme_is_styled_for_phones_and_print(theme, full_document):
    page = render(full_document, theme)

    screen, printed = page.find_all("style")
    assert screen.text == " ".join(themes()[theme].stylesheet.split())
    assert "@media (max-width" in themes()[theme].stylesheet
    assert "@media print" in themes()[theme].stylesheet
    assert printed.attrs["media"] == "print"
    assert "@page" in print_stylesheet().text


def test_the_modern_sidebar_comes_first_and_holds_contact_and_short_sections(full_document):
    page = render(full_document, "modern")
    body = page.find("body")
    (aside,) = body.find_all("aside")
    (main,) = body.find_all("main")
    order = list(body.iter())

    assert order.index(aside) < order.index(main)
    assert {s.attrs["class"] for s in aside.find_all("section")} == {
        "section section-contact",
        "section section-skills",
        "section section-languages",
        "section section-interests",
    }
    assert main.find_all("section", class_="section-work")


def test_dates_read_as_periods(full_document):
    work = render(full_document).find("section", class_="section-work").find_all(class_="entry")

    assert work[0].find(class_="entry-dates").text == "Mar 2021 – Present"
    assert work[1].find(class_="entry-dates").text == "Jun 2019 – Feb 2021"
    years = render(
        {"education": [{"institution": "School", "startDate": "2010", "endDate": "2014"}]}
    )
    assert years.find(class_="entry-dates").text == "2010 – 2014"
    assert [t.attrs["datetime"] for t in work[1].find_all("time")] == ["2019-06-01", "2021-02-28"]


def test_sections_without_content_are_left_out():
    page = render({"basics": {"name": "Jane"}, "work": [{}], "skills": [], "awards": [{"x-y": 1}]})

    assert page.find_all("h2") == []
    assert page.find_all(class_="entry") == []


def test_values_of_the_wrong_type_are_left_out_not_an_error():
    page = render(
        {
            "basics": {"name": 5, "profiles": [1, {"network": "Forge"}], "location": "Paris"},
            "work": "not a list",
            "skills": [{"name": "Go", "keywords": "not a list"}, "not an object"],
            "meta": {"language": ["de"]},
        }
    )

    # Without a name, the résumé's title is the heading.
    assert [h1.text for h1 in page.find_all("h1")] == ["Jane Developer – Engineer"]
    assert [h3.text for h3 in page.find_all("h3")] == ["Go"]
    assert "Forge" in page.find(class_="contact").text
    assert page.find("html").attrs["lang"] == "en"


def test_the_summary_falls_back_to_the_resumes_own():
    page = render({"basics": {"name": "Jane"}})

    assert page.find(class_="summary").text == "Fallback summary"


HOSTILE = '<script>alert(1)</script><img src=http://evil.example/x.png></style><b style="x">'


def hostile_document() -> dict[str, Any]:
    """Every kind of value holding markup; URLs that are no web address (stored content
    is validated, but the page must not depend on it)."""
    entry = {
        "name": HOSTILE,
        "position": HOSTILE,
        "summary": HOSTILE,
        "highlights": [HOSTILE],
        "keywords": [HOSTILE],
        "url": "javascript:alert(1)",
        "startDate": HOSTILE,
    }
    return {
        "basics": {
            "name": HOSTILE,
            "label": HOSTILE,
            "email": '"><script>alert(1)</script>@x.example',
            "url": "data:text/html,<script>alert(1)</script>",
            "summary": HOSTILE,
            "location": {"city": HOSTILE},
            "profiles": [{"network": HOSTILE, "url": "javascript:alert(1)", "username": HOSTILE}],
        },
        **{section: [entry] for section in SECTIONS},
        "meta": {"language": '"><script>'},
    }


@pytest.mark.parametrize("theme", THEMES)
def test_content_is_escaped_and_loads_nothing(theme):
    html = render_resume_html(
        Resume(title=HOSTILE, content=hostile_document()),
        theme=theme,
        photo_src=PHOTO,
        page=PublicPage(url="https://cv.example/r/x/", photo_url=None, pdf_url=None),
    )
    page = parse(html)

    assert "<script" not in html
    assert html.count("</style>") == 2  # the theme's and print.css: none from the content
    assert [e.tag for e in page.iter() if e.tag in ("script", "iframe", "object", "embed")] == []
    assert [img.attrs["src"] for img in page.find_all("img")] == [PHOTO]
    assert [e.tag for e in page.iter() if "style" in e.attrs] == []
    assert len(page.find_all("style")) == 2
    for element in page.iter():
        for attribute in ("href", "src", "action", "srcset", "poster", "formaction"):
            value = element.attrs.get(attribute)
            if value is not None:
                assert value.startswith(("https://", "http://", "mailto:")), (element.tag, value)
                assert "evil.example" not in value and "javascript" not in value
    assert HOSTILE in page.find("h1").text
    assert page.find("html").attrs["lang"] == "en"


def test_right_to_left_text_gets_its_direction_per_element():
    page = render(
        {
            "basics": {"name": "דנה לוי", "label": "Engineer"},
            "skills": [{"name": "تصميم", "keywords": ["Python", "بايثون"]}],
            "meta": {"language": "en"},
        }
    )

    assert page.find("html").attrs["dir"] == "ltr"
    assert page.find("h1").attrs["dir"] == "rtl"
    assert "dir" not in page.find(class_="label").attrs
    assert page.find("h3").attrs["dir"] == "rtl"
    assert [li.attrs.get("dir") for li in page.find(class_="keywords").find_all("li")] == [
        None,
        "rtl",
    ]


def test_a_right_to_left_language_sets_the_documents_direction():
    page = render(
        {
            "basics": {"name": "ليلى حداد", "label": "مهندسة"},
            "skills": [{"name": "Python"}],
            "meta": {"language": "ar-EG"},
        }
    )

    assert (page.find("html").attrs["lang"], page.find("html").attrs["dir"]) == ("ar-EG", "rtl")
    assert "dir" not in page.find("h1").attrs
    assert page.find("h3").attrs["dir"] == "ltr"


def test_without_a_language_the_text_it_starts_with_sets_the_direction():
    hebrew = render({"basics": {"name": "דנה לוי", "label": "Engineer"}})
    english = render({"basics": {"name": "Dana Levi", "label": "מהנדסת"}})

    assert (hebrew.find("html").attrs["dir"], "dir" in hebrew.find("h1").attrs) == ("rtl", False)
    assert (english.find("html").attrs["dir"], english.find(class_="label").attrs["dir"]) == (
        "ltr",
        "rtl",
    )


@pytest.mark.parametrize(
    ("language", "lang"),
    [("de-CH", "de-CH"), ("zh-Hant-TW", "zh-Hant-TW"), ("fr", "fr"), ("English", "en"), ("", "en")],
)
def test_the_language_comes_from_meta_when_it_is_a_language_tag(language, lang):
    page = render({"basics": {"name": "Jane"}, "meta": {"language": language}})

    assert page.find("html").attrs["lang"] == lang


def test_the_public_page_has_link_preview_tags_and_the_pdf_and_print_do_not(full_document):
    links = PublicPage(
        url="https://cv.example/r/abc/",
        photo_url="https://cv.example/r/abc/photo/",
        pdf_url="https://cv.example/r/abc/pdf/",
    )
    public = render(full_document, page=links)
    printed = render(full_document, page=links, for_print=True)

    tags = {
        m.attrs.get("property") or m.attrs.get("name"): m.attrs["content"]
        for m in public.find_all("meta")
        if "content" in m.attrs
    }
    assert tags["og:url"] == links.url
    assert tags["og:image"] == links.photo_url
    assert tags["og:title"] == "Jane Developer – Engineer"
    assert tags["og:description"] == full_document["basics"]["summary"]
    assert tags["twitter:card"] == "summary"
    assert tags["robots"] == "noindex"
    assert public.find("a", class_="download").attrs["href"] == links.pdf_url
    assert [m for m in printed.find_all("meta") if "og:" in m.attrs.get("property", "")] == []
    assert [m for m in printed.find_all("meta") if m.attrs.get("name") == "robots"] == []
    assert printed.find_all("a", class_="download") == []


def test_an_unknown_theme_is_a_lookup_error():
    with pytest.raises(LookupError):
        render_resume_html(Resume(title="T"), theme="no-such-theme", photo_src=None)
