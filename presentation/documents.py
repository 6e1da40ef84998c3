"""A résumé as an HTML document, in a theme: the public page, the owner's preview and the
PDF are rendered from it.

PLACEHOLDER (replaced by the themes work): a minimal semantic document so that the PDF work
can build against the interface below.
"""

from django.template import engines

from resumes.models import Resume

_PLACEHOLDER = engines["django"].from_string(
    """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ resume.title }}</title>
<meta name="author" content="{{ basics.name }}"></head>
<body><header><h1>{{ basics.name|default:resume.title }}</h1>
{% if photo_src %}<img src="{{ photo_src }}" alt="Photo of {{ basics.name }}">{% endif %}
<p>{{ basics.label }}</p><p>{{ basics.summary }}</p></header>
{% if work %}<section><h2>Work</h2>{% for job in work %}<article><h3>{{ job.position }},
{{ job.name }}</h3><p>{{ job.summary }}</p><ul>{% for h in job.highlights %}<li>{{ h }}</li>
{% endfor %}</ul></article>{% endfor %}</section>{% endif %}
</body></html>"""
)


def render_resume_html(
    resume: Resume, *, theme: str, photo_src: str | None, for_print: bool = False
) -> str:
    """The résumé in `theme` as a whole HTML document.

    `photo_src`: the `src` of the photo (None: no photo): a URL on the page, a `data:` URI in
    the PDF. `for_print`: the document is for WeasyPrint (no links to the page's own URLs, no
    Open Graph tags).
    """
    content = resume.content or {}
    return _PLACEHOLDER.render(
        {
            "resume": resume,
            "lang": "en",
            "basics": content.get("basics", {}),
            "work": content.get("work", []),
            "photo_src": photo_src,
        }
    )
