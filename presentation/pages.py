"""HTML responses: a résumé's document, and the notices shown instead of one. Each carries
a Content-Security-Policy that lets the page load nothing but its own inline stylesheets
(by their hashes) and images from this site or the storage its photo links redirect to."""

import math

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from presentation.themes import Theme, notice_stylesheet, print_stylesheet

HTML = "text/html; charset=utf-8"


def content_security_policy(*, style_hashes: list[str], images: bool) -> str:
    directives = [
        "default-src 'none'",
        f"style-src {' '.join(style_hashes)}",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
    if images:
        origins = ["'self'", default_storage.url_origin()]
        directives.insert(2, f"img-src {' '.join(o for o in origins if o)}")
    return "; ".join(directives)


def _html_response(
    html: str, *, status: int = 200, policy: str, indexable: bool = False
) -> HttpResponse:
    response = HttpResponse(html, status=status, content_type=HTML)
    response["Content-Security-Policy"] = policy
    if not indexable:
        response["X-Robots-Tag"] = "noindex"
    # Making a résumé private takes effect at once: a cache must ask again before each use.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def resume_response(html: str, *, theme: Theme, indexable: bool = False) -> HttpResponse:
    """A résumé's document rendered in `theme` (presentation.documents)."""
    hashes = [theme.stylesheet_hash, print_stylesheet().hash]
    policy = content_security_policy(style_hashes=hashes, images=True)
    return _html_response(html, policy=policy, indexable=indexable)


def _notice(request: HttpRequest, template: str, status: int) -> HttpResponse:
    stylesheet = notice_stylesheet()
    html = render_to_string(template, {"stylesheet": stylesheet}, request=request)
    policy = content_security_policy(style_hashes=[stylesheet.hash], images=False)
    return _html_response(html, status=status, policy=policy)


def not_found(request: HttpRequest) -> HttpResponse:
    """The one answer for a link to no public résumé: unknown, private or replaced alike."""
    return _notice(request, "presentation/not_found.html", 404)


def too_many_requests(request: HttpRequest, wait: float) -> HttpResponse:
    response = _notice(request, "presentation/throttled.html", 429)
    response["Retry-After"] = str(math.ceil(wait))
    return response
