"""What a theme's template is given: the résumé's content as display values.

The content was validated on its way in (resumes.json_resume), yet it is read here as if it
were anything JSON can hold: a value of the wrong type is left out, never an error, so no
stored row can make a page fail. Only sections with content are shown, in SECTIONS' order.
"""

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import Truncator

from presentation.themes import Theme, print_stylesheet
from resumes.models import Resume

# A language tag as BCP 47 spells it (RFC 5646: language, then subtags of 1-8 characters);
# anything else in meta.language is ignored for "en".
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,6}")
DEFAULT_LANGUAGE = "en"
# Languages written right to left (their primary subtags).
_RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "ug", "ur", "yi"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DESCRIPTION_CHARACTERS = 300


def text_direction(text: str) -> str | None:
    """ "rtl" or "ltr" after the first strongly directional character of `text` (as the
    Unicode bidi algorithm picks a paragraph's direction), None if it has none."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(text for text in map(_text, value) if text)


def _objects(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _object(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _joined(*parts: str, separator: str = ", ") -> str:
    return separator.join(part for part in parts if part)


def link_href(url: str) -> str:
    """`url` if a link may point there (http or https), else "": nothing else is linked."""
    return url if re.match(r"https?://", url, re.IGNORECASE) else ""


def _url_text(url: str) -> str:
    """A URL as people write it: no scheme, no trailing slash."""
    return re.sub(r"^https?://(www\.)?", "", url, flags=re.IGNORECASE).rstrip("/")


@dataclass(frozen=True)
class DisplayDate:
    iso: str  # as written, for <time datetime>
    text: str  # "Jan 2020", or "2020" when only the year is known


@dataclass(frozen=True)
class Dates:
    start: DisplayDate | None
    end: DisplayDate | None
    # A period that has begun and not ended ("Jan 2020 – Present"); False for a single date.
    ongoing: bool = False

    def __str__(self) -> str:
        start = self.start.text if self.start else ""
        end = "Present" if self.ongoing else self.end.text if self.end else ""
        return _joined(start, end, separator=" – ") if start else end


def _display_date(value: Any) -> DisplayDate | None:
    text = _text(value)
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-\d{2})?)?", text)
    if not match:
        return DisplayDate(text, text) if text else None
    year, month = match.groups()
    if month and 1 <= int(month) <= 12:
        return DisplayDate(text, f"{_MONTHS[int(month) - 1]} {year}")
    return DisplayDate(text, year)


def _period(item: Mapping[str, Any]) -> Dates | None:
    start, end = _display_date(item.get("startDate")), _display_date(item.get("endDate"))
    if not start and not end:
        return None
    return Dates(start, end, ongoing=bool(start and not end))


def _date(value: Any) -> Dates | None:
    date = _display_date(value)
    return Dates(date, None) if date else None


@dataclass(frozen=True)
class Fact:
    label: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One item of a section, however the section names its parts."""

    title: str
    title_href: str = ""
    organization: str = ""
    organization_href: str = ""
    note: str = ""  # a skill's level, a language's fluency, a project's type
    location: str = ""
    dates: Dates | None = None
    paragraphs: tuple[str, ...] = ()
    highlights: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    quote: str = ""

    @property
    def has_content(self) -> bool:
        parts = (self.title, self.organization, self.note, self.dates, self.paragraphs)
        return any(parts) or any((self.highlights, self.keywords, self.facts, self.quote))


def _facts(*facts: tuple[str, tuple[str, ...]]) -> tuple[Fact, ...]:
    return tuple(Fact(label, values) for label, values in facts if values)


def _titled(title: str, organization: str, **kwargs: Any) -> Entry:
    """An entry titled `title`, or by its organization when it has no title of its own."""
    if title:
        return Entry(title=title, organization=organization, **kwargs)
    href = kwargs.pop("organization_href", "")
    return Entry(title=organization, title_href=href, **kwargs)


def _work(item: Mapping[str, Any]) -> Entry:
    return _titled(
        _text(item.get("position")),
        _text(item.get("name")),
        organization_href=link_href(_text(item.get("url"))),
        location=_text(item.get("location")),
        dates=_period(item),
        paragraphs=_texts([item.get("description"), item.get("summary")]),
        highlights=_texts(item.get("highlights")),
    )


def _volunteer(item: Mapping[str, Any]) -> Entry:
    return _titled(
        _text(item.get("position")),
        _text(item.get("organization")),
        organization_href=link_href(_text(item.get("url"))),
        dates=_period(item),
        paragraphs=_texts([item.get("summary")]),
        highlights=_texts(item.get("highlights")),
    )


def _education(item: Mapping[str, Any]) -> Entry:
    return _titled(
        _joined(_text(item.get("studyType")), _text(item.get("area"))),
        _text(item.get("institution")),
        organization_href=link_href(_text(item.get("url"))),
        dates=_period(item),
        facts=_facts(
            ("Score", _texts([item.get("score")])), ("Courses", _texts(item.get("courses")))
        ),
    )


def _award(item: Mapping[str, Any]) -> Entry:
    return _titled(
        _text(item.get("title")),
        _text(item.get("awarder")),
        dates=_date(item.get("date")),
        paragraphs=_texts([item.get("summary")]),
    )


def _certificate(item: Mapping[str, Any]) -> Entry:
    return Entry(
        title=_text(item.get("name")),
        title_href=link_href(_text(item.get("url"))),
        organization=_text(item.get("issuer")),
        dates=_date(item.get("date")),
    )


def _publication(item: Mapping[str, Any]) -> Entry:
    return Entry(
        title=_text(item.get("name")),
        title_href=link_href(_text(item.get("url"))),
        organization=_text(item.get("publisher")),
        dates=_date(item.get("releaseDate")),
        paragraphs=_texts([item.get("summary")]),
    )


def _skill(item: Mapping[str, Any]) -> Entry:
    return Entry(
        title=_text(item.get("name")),
        note=_text(item.get("level")),
        keywords=_texts(item.get("keywords")),
    )


def _language(item: Mapping[str, Any]) -> Entry:
    return Entry(title=_text(item.get("language")), note=_text(item.get("fluency")))


def _interest(item: Mapping[str, Any]) -> Entry:
    return Entry(title=_text(item.get("name")), keywords=_texts(item.get("keywords")))


def _reference(item: Mapping[str, Any]) -> Entry:
    return Entry(title=_text(item.get("name")), quote=_text(item.get("reference")))


def _project(item: Mapping[str, Any]) -> Entry:
    return Entry(
        title=_text(item.get("name")),
        title_href=link_href(_text(item.get("url"))),
        organization=_text(item.get("entity")),
        note=_text(item.get("type")),
        dates=_period(item),
        paragraphs=_texts([item.get("description")]),
        highlights=_texts(item.get("highlights")),
        keywords=_texts(item.get("keywords")),
        facts=_facts(("Roles", _texts(item.get("roles")))),
    )


@dataclass(frozen=True)
class SectionKind:
    name: str  # the JSON Resume key
    heading: str
    entry: Callable[[Mapping[str, Any]], Entry]
    # Entries of a line or two (a skill, a language): a sidebar or a grid may hold them.
    short: bool = False


# Every JSON Resume 1.0.0 section, in the order a résumé shows them.
SECTIONS = (
    SectionKind("work", "Work experience", _work),
    SectionKind("projects", "Projects", _project),
    SectionKind("education", "Education", _education),
    SectionKind("volunteer", "Volunteering", _volunteer),
    SectionKind("awards", "Awards", _award),
    SectionKind("certificates", "Certificates", _certificate),
    SectionKind("publications", "Publications", _publication),
    SectionKind("skills", "Skills", _skill, short=True),
    SectionKind("languages", "Languages", _language, short=True),
    SectionKind("interests", "Interests", _interest, short=True),
    SectionKind("references", "References", _reference),
)


@dataclass(frozen=True)
class Section:
    name: str
    heading: str
    entries: tuple[Entry, ...]
    short: bool


def sections(content: Mapping[str, Any]) -> list[Section]:
    """The sections of `content` that have at least one entry with content."""
    found = []
    for kind in SECTIONS:
        entries = tuple(
            entry
            for entry in map(kind.entry, _objects(content.get(kind.name)))
            if entry.has_content
        )
        if entries:
            found.append(Section(kind.name, kind.heading, entries, kind.short))
    return found


@dataclass(frozen=True)
class Link:
    text: str
    href: str  # "" when the address may not be linked
    label: str = ""  # what it is: "GitHub", "Email", ...


@dataclass(frozen=True)
class Basics:
    name: str
    label: str
    summary: str
    location: str
    contact: tuple[Link, ...] = field(default=())

    @property
    def has_contact(self) -> bool:
        return bool(self.contact or self.location)


def _location(location: Mapping[str, Any]) -> str:
    address = ", ".join(line.strip() for line in _text(location.get("address")).splitlines())
    town = _joined(_text(location.get("postalCode")), _text(location.get("city")), separator=" ")
    return _joined(address, town, _text(location.get("region")), _text(location.get("countryCode")))


def basics(content: Mapping[str, Any], resume: Resume) -> Basics:
    found = _object(content.get("basics"))
    contact = []
    email = _text(found.get("email"))
    if email:
        contact.append(Link(email, f"mailto:{email}", "Email"))
    phone = _text(found.get("phone"))
    if phone:
        contact.append(Link(phone, "", "Phone"))
    url = _text(found.get("url"))
    if url:
        contact.append(Link(_url_text(url), link_href(url), "Website"))
    for profile in _objects(found.get("profiles")):
        profile_url = _text(profile.get("url"))
        text = _text(profile.get("username")) or _url_text(profile_url)
        network = _text(profile.get("network"))
        if text or network:
            contact.append(Link(text or network, link_href(profile_url), network))
    return Basics(
        name=_text(found.get("name")) or resume.title,
        label=_text(found.get("label")),
        summary=_text(found.get("summary")) or resume.summary.strip(),
        location=_location(_object(found.get("location"))),
        contact=tuple(contact),
    )


def language(content: Mapping[str, Any]) -> str | None:
    """meta.language when it is a plausible BCP 47 tag."""
    tag = _text(_object(content.get("meta")).get("language"))
    return tag if _LANGUAGE_TAG.fullmatch(tag) else None


def document_direction(lang: str | None, person: Basics) -> str:
    """The document's direction: its language's, else that of the text it starts with."""
    if lang:
        return "rtl" if lang.split("-")[0].lower() in _RTL_LANGUAGES else "ltr"
    return text_direction(" ".join((person.name, person.label, person.summary))) or "ltr"


@dataclass(frozen=True)
class PublicPage:
    """Absolute links of the public page, for its link-preview tags and its PDF link."""

    url: str
    photo_url: str | None
    pdf_url: str | None


def resume_context(
    resume: Resume,
    *,
    theme: Theme,
    photo_src: str | None,
    for_print: bool,
    page: PublicPage | None,
) -> dict[str, Any]:
    content = _object(resume.content)
    person = basics(content, resume)
    lang = language(content)
    description = Truncator(" ".join((person.summary or person.label).split()))
    return {
        "title": resume.title,
        "lang": lang or DEFAULT_LANGUAGE,
        "dir": document_direction(lang, person),
        "basics": person,
        "description": description.chars(_DESCRIPTION_CHARACTERS),
        "sections": sections(content),
        "photo_src": photo_src,
        "theme": theme,
        "print_stylesheet": print_stylesheet(),
        "for_print": for_print,
        "page": None if for_print else page,
        "indexable": page is not None and resume.allow_search_indexing,
    }
