"""A résumé as an HTML document, in a theme: the public page, the owner's preview and the
PDF are rendered from it (presentation/themes/<name>/resume.html; what the templates get is
built in presentation/context.py)."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string

from presentation.context import PublicPage, resume_context
from presentation.themes import design_digest, theme_named
from resumes.models import Resume


def render_resume_html(
    resume: Resume,
    *,
    theme: str,
    photo_src: str | None,
    for_print: bool = False,
    page: PublicPage | None = None,
) -> str:
    """The résumé in `theme` as a whole HTML document (LookupError for an unknown theme).

    `photo_src`: the `src` of the photo (None: no photo): a URL on the page, a `data:` URI in
    the PDF. `for_print`: the document is for WeasyPrint (no links to the page's own URLs, no
    Open Graph tags). `page`: the public page's own links, for its link-preview tags and its
    PDF link (None: a preview or a PDF, which have none).
    """
    chosen = theme_named(theme)
    context = resume_context(
        resume, theme=chosen, photo_src=photo_src, for_print=for_print, page=page
    )
    return render_to_string(chosen.template_name, context)


def public_page_html(resume: Resume, *, theme: str, photo_src: str | None, page: PublicPage) -> str:
    """render_resume_html for the public page, kept in the cache while nothing it shows
    changes: rendering the templates is most of a page view's CPU, and every visitor gets the
    same page (it holds nothing about who asks). The key names the résumé's state (every
    write moves `updated_at`), the theme's files and the page's own addresses."""
    state = f"{resume.pk}|{resume.updated_at.isoformat()}|{theme}|{design_digest(theme)}"
    key = hashlib.sha256(f"{state}|{photo_src}|{page!r}".encode()).hexdigest()
    html = cache.get(f"public-page:{key}")
    if html is None:
        html = render_resume_html(resume, theme=theme, photo_src=photo_src, page=page)
        cache.set(f"public-page:{key}", html, settings.PUBLIC_PAGE_CACHE_SECONDS)
    return html
