"""The public page of a résumé (/r/<share_slug>/) with its photo links, the owner's preview
in any theme, and the list of themes."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe
from drf_yasg.utils import swagger_auto_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from api.negotiation import any_accept
from api.throttling import throttle_wait
from presentation import openapi as docs
from presentation.context import PublicPage
from presentation.documents import render_resume_html
from presentation.pages import not_found, resume_response, too_many_requests
from presentation.serializers import ThemeQuerySerializer, ThemeSerializer
from presentation.themes import theme_or_default, themes
from resumes.attachments import RESUME_IMAGE
from resumes.models import Resume
from resumes.selectors import resume_get, resume_get_public
from resumes.views import PUBLIC_RESUME_THROTTLE_SCOPE, public_image_redirect


def _public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view of a share link: GET (and HEAD) only, throttled with the public JSON views,
    and the not-found page for every link to no public résumé."""

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

    return guarded


def _pdf_link(request: HttpRequest, share_slug: str) -> str | None:
    # The download belongs to the pdfs app; a page served without it offers none.
    try:
        return request.build_absolute_uri(reverse("public-page-pdf", args=[share_slug]))
    except NoReverseMatch:
        return None


def _page_photo(request: HttpRequest, resume: Resume) -> tuple[str | None, str | None]:
    """(src of the photo on the page, absolute URL for link previews): the page's own
    redirects, which check the link at every request, never a presigned URL."""
    if not resume.image:
        return None, None
    slug = resume.share_slug
    photo = reverse("public-page-photo", args=[slug])
    thumbnail = reverse("public-page-photo-thumbnail", args=[slug])
    return (thumbnail if resume.image_thumbnail else photo), request.build_absolute_uri(photo)


@_public
def public_page(request: HttpRequest, share_slug: str) -> HttpResponse:
    resume = resume_get_public(share_slug=share_slug)
    theme = theme_or_default(resume.theme)
    photo_src, photo_url = _page_photo(request, resume)
    page = PublicPage(
        url=request.build_absolute_uri(reverse("public-page", args=[share_slug])),
        photo_url=photo_url,
        pdf_url=_pdf_link(request, share_slug),
    )
    html = render_resume_html(resume, theme=theme.name, photo_src=photo_src, page=page)
    return resume_response(html, theme=theme, indexable=resume.allow_search_indexing)


@_public
def public_page_photo(request: HttpRequest, share_slug: str) -> HttpResponse:
    return public_image_redirect(request, share_slug=share_slug, field=RESUME_IMAGE.field)


@_public
def public_page_photo_thumbnail(request: HttpRequest, share_slug: str) -> HttpResponse:
    field = RESUME_IMAGE.thumbnail_field
    return public_image_redirect(request, share_slug=share_slug, field=field)


@require_safe
def page_not_found(request: HttpRequest) -> HttpResponse:
    """Any other address under /r/: the same page as a link to no public résumé."""
    return not_found(request)


@swagger_auto_schema(method="get", **docs.PREVIEW)
@any_accept
@api_view(["GET"])
def resume_preview(request: Request, resume_id: int) -> HttpResponse:
    resume = resume_get(owner=request.user, resume_id=resume_id)
    query = ThemeQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    theme = theme_or_default(query.validated_data.get("theme") or resume.theme)
    image = resume.image_thumbnail or resume.image
    photo_src = None
    if image:
        url = image.storage.signed_url(image.name, settings.PUBLIC_IMAGE_URL_EXPIRE_SECONDS)
        photo_src = request.build_absolute_uri(url)
    html = render_resume_html(resume, theme=theme.name, photo_src=photo_src)
    return resume_response(html, theme=theme)


@swagger_auto_schema(method="get", **docs.THEME_LIST)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def theme_list(request: Request) -> Response:
    return Response(ThemeSerializer(themes().values(), many=True).data)
