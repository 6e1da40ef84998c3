"""HTML responses: a résumé's document, and the notices shown instead of one. Each carries
a Content-Security-Policy that lets the page load nothing but its own inline stylesheets
(by their hashes) and images from this site or the storage its photo links redirect to."""

import math
from collections.abc import Callable
from functools import wraps

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from api.errors import domain_error_answer
from api.throttling import throttle_wait
from presentation.themes import Theme, notice_stylesheet, print_stylesheet
from resumes.views import PUBLIC_RESUME_THROTTLE_SCOPE

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


def _notice(
    request: HttpRequest, template: str, status: int, context: dict | None = None
) -> HttpResponse:
    stylesheet = notice_stylesheet()
    html = render_to_string(
        template, {"stylesheet": stylesheet, **(context or {})}, request=request
    )
    policy = content_security_policy(style_hashes=[stylesheet.hash], images=False)
    return _html_response(html, status=status, policy=policy)


def not_found(request: HttpRequest) -> HttpResponse:
    """The one answer for a link to no public résumé: unknown, private or replaced alike."""
    return _notice(request, "presentation/not_found.html", 404)


def too_many_requests(request: HttpRequest, wait: float) -> HttpResponse:
    response = _notice(request, "presentation/throttled.html", 429)
    response["Retry-After"] = str(math.ceil(wait))
    return response


def pdf_rendering(request: HttpRequest, *, message: str, retry_after: int) -> HttpResponse:
    """202 while a public résumé's PDF renders: the page reloads itself (Refresh), and the
    download starts once the PDF is ready."""
    response = _notice(request, "presentation/pdf_rendering.html", 202, {"message": message})
    response["Refresh"] = str(retry_after)
    return response


def problem(request: HttpRequest, *, status: int, message: str) -> HttpResponse:
    """A request the page could not answer: the reason, as the API words it."""
    heading = "Please try again" if status >= 500 else "This cannot be shown"
    context = {"heading": heading, "message": message}
    return _notice(request, "presentation/problem.html", status, context)


def share_link_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view of a share link, for people: GET (and HEAD) only, throttled with the public
    JSON views, the not-found page for every link to no public résumé, and HTML for every
    other error the API would answer in JSON."""

    @wraps(view)
    @require_safe
    def guarded(request: HttpRequest, share_slug: str) -> HttpResponse:
        wait = throttle_wait(request, PUBLIC_RESUME_THROTTLE_SCOPE)
        if wait is not None:
            return too_many_requests(request, wait)
        try:
            return view(request, share_slug)
        except Http404:
            return not_found(request)
        except Exception as exc:
            answer = domain_error_answer(exc)
            if answer is None:
                raise
            code, body = answer
            return problem(request, status=code, message=body.get("detail", ""))

    return guarded
