"""A résumé as an HTML document, in a theme: the public page, the owner's preview and the
PDF are rendered from it.

PLACEHOLDER (replaced by the themes work): a minimal semantic document so that the PDF work
can build against the interface below.
"""

import unicodedata

from django.template import engines

from resumes.models import Resume

_PLACEHOLDER = engines["django"].from_string(
    """<!doctype html>
<html lang="{{ lang }}" dir="ltr"><head><meta charset="utf-8"><title>{{ resume.title }}</title>
<meta name="author" content="{{ basics.name }}">
<meta name="description" content="{{ basics.summary }}">
{% if for_print %}<style>{% include "presentation/print.css" %}</style>{% endif %}</head>
<body><header><h1>{{ basics.name|default:resume.title }}</h1>
{% if photo_src %}<img src="{{ photo_src }}" alt="Photo of {{ basics.name }}">{% endif %}
<p>{{ basics.label }}</p><p dir="{{ summary_dir }}">{{ basics.summary }}</p></header>
{% for heading, entries in sections %}<section><h2>{{ heading }}</h2>
{% for entry in entries %}<article class="entry"><h3>{{ entry.title }}</h3>
{% if entry.text %}<p dir="{{ entry.dir }}">{{ entry.text }}</p>{% endif %}
{% if entry.items %}<ul>{% for item in entry.items %}<li>{{ item }}</li>{% endfor %}</ul>
{% endif %}</article>{% endfor %}</section>{% endfor %}
</body></html>"""
)
# Section, heading, and the fields of an entry: its title, its text, its list.
_SECTIONS = [
    ("work", "Work", ("position", "name"), "summary", "highlights"),
    ("volunteer", "Volunteer", ("position", "organization"), "summary", "highlights"),
    ("education", "Education", ("studyType", "area", "institution"), "score", "courses"),
    ("awards", "Awards", ("title", "awarder"), "summary", None),
    ("certificates", "Certificates", ("name", "issuer"), None, None),
    ("publications", "Publications", ("name", "publisher"), "summary", None),
    ("skills", "Skills", ("name", "level"), None, "keywords"),
    ("languages", "Languages", ("language", "fluency"), None, None),
    ("interests", "Interests", ("name",), None, "keywords"),
    ("references", "References", ("name",), "reference", None),
    ("projects", "Projects", ("name",), "description", "highlights"),
]


def _direction(text: str) -> str:
    """ "rtl" when the first strongly directional character of `text` is right-to-left."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _sections(content: dict) -> list[tuple[str, list[dict]]]:
    sections = []
    for key, heading, title_fields, text_field, items_field in _SECTIONS:
        entries = [
            {
                "title": ", ".join(str(item[f]) for f in title_fields if item.get(f)),
                "text": item.get(text_field, "") if text_field else "",
                "items": item.get(items_field, []) if items_field else [],
                "dir": _direction(item.get(text_field, "") if text_field else ""),
            }
            for item in content.get(key) or []
            if isinstance(item, dict)
        ]
        if entries:
            sections.append((heading, entries))
    return sections


def render_resume_html(
    resume: Resume, *, theme: str, photo_src: str | None, for_print: bool = False
) -> str:
    """The résumé in `theme` as a whole HTML document.

    `photo_src`: the `src` of the photo (None: no photo): a URL on the page, a `data:` URI in
    the PDF. `for_print`: the document is for WeasyPrint (no links to the page's own URLs, no
    Open Graph tags).
    """
    content = resume.content or {}
    basics = content.get("basics") or {}
    return _PLACEHOLDER.render(
        {
            "resume": resume,
            "lang": (content.get("meta") or {}).get("language") or "en",
            "basics": basics,
            "summary_dir": _direction(basics.get("summary", "")),
            "sections": _sections(content),
            "photo_src": photo_src,
            "for_print": for_print,
        }
    )
