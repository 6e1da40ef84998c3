"""The public page of a résumé (/r/<share_slug>/) with its photo links, the owner's preview
in any theme, and the list of themes."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from drf_yasg.utils import swagger_auto_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from api.negotiation import any_accept
from api.query_parameters import validated_query
from presentation import openapi as docs
from presentation.context import PublicPage
from presentation.documents import public_page_html, render_resume_html
from presentation.pages import not_found, resume_response, share_link_view
from presentation.serializers import ThemeQuerySerializer, ThemeSerializer
from presentation.themes import theme_or_default, themes
from resumes.attachments import RESUME_IMAGE
from resumes.models import Resume
from resumes.selectors import resume_get, resume_get_public
from resumes.views import public_image_redirect
from storage.links import absolute_file_url


def _page_photo(request: HttpRequest, resume: Resume) -> tuple[str | None, str | None]:
    """(src of the photo on the page, absolute URL for link previews): the page's own
    redirects, which check the link at every request, never a presigned URL."""
    if not resume.image:
        return None, None
    slug = resume.share_slug
    photo = reverse("public-page-photo", args=[slug])
    thumbnail = reverse("public-page-photo-thumbnail", args=[slug])
    return (thumbnail if resume.image_thumbnail else photo), request.build_absolute_uri(photo)


@share_link_view
def public_page(request: HttpRequest, share_slug: str) -> HttpResponse:
    resume = resume_get_public(share_slug=share_slug)
    theme = theme_or_default(resume.theme)
    photo_src, photo_url = _page_photo(request, resume)
    page = PublicPage(
        url=request.build_absolute_uri(reverse("public-page", args=[share_slug])),
        photo_url=photo_url,
        pdf_url=request.build_absolute_uri(reverse("public-page-pdf", args=[share_slug])),
    )
    html = public_page_html(resume, theme=theme.name, photo_src=photo_src, page=page)
    return resume_response(html, theme=theme, indexable=resume.allow_search_indexing)


@share_link_view
def public_page_photo(request: HttpRequest, share_slug: str) -> HttpResponse:
    return public_image_redirect(request, share_slug=share_slug, field=RESUME_IMAGE.field)


@share_link_view
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
    theme = theme_or_default(
        validated_query(ThemeQuerySerializer, request).get("theme") or resume.theme
    )
    # The owner's own image URL, as the API gives it to them (presigned, reused while fresh).
    photo_src = absolute_file_url(resume.image_thumbnail or resume.image, request)
    html = render_resume_html(resume, theme=theme.name, photo_src=photo_src)
    return resume_response(html, theme=theme)


@swagger_auto_schema(method="get", **docs.THEME_LIST)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def theme_list(request: Request) -> Response:
    return Response(ThemeSerializer(themes().values(), many=True).data)
