from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from drf_yasg.utils import swagger_auto_schema
from rest_framework import status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from api.throttling import throttle_scope
from pdfs import openapi as docs
from pdfs.models import ResumePDF
from pdfs.serializers import PDFQuerySerializer
from pdfs.services import pdf_request
from resumes.models import Resume
from resumes.selectors import resume_get, resume_get_public
from resumes.views import PUBLIC_RESUME_THROTTLE_SCOPE

RENDERING = "The PDF is being rendered; ask again in {seconds} seconds."
RENDERING_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} (PDF)</title></head>
<body><p>{message}</p><p>This page reloads itself; the download starts when the PDF is ready.</p>
</body></html>
"""
NOT_FOUND_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>
<body><h1>Not found</h1><p>There is no public résumé at this link.</p></body></html>
"""
# The pages above load nothing and run nothing.
PAGE_CSP = "default-src 'none'"


def _download(request: HttpRequest, resume: Resume, pdf: ResumePDF) -> HttpResponseRedirect:
    """302 to a short-lived S3 URL that downloads the PDF as `<title>.pdf`."""
    lifetime = settings.PDF_URL_EXPIRE_SECONDS
    url = pdf.file.storage.signed_url(
        pdf.file.name, lifetime, download_as=resume.download_name("pdf")
    )
    response = HttpResponseRedirect(request.build_absolute_uri(url))
    # A browser that follows a cached redirect must still find its target valid.
    patch_cache_control(response, private=True, max_age=lifetime // 2)
    return response


def _rendering(response: HttpResponse) -> HttpResponse:
    response["Retry-After"] = str(settings.PDF_RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    return response


@swagger_auto_schema(method="get", **docs.RESUME_PDF)
@api_view(["GET"])
def resume_pdf(request: Request, resume_id: int) -> HttpResponse:
    resume = resume_get(owner=request.user, resume_id=resume_id)
    query = PDFQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    pdf = pdf_request(resume=resume, theme=query.validated_data.get("theme", resume.theme))
    if pdf is not None:
        return _download(request, resume, pdf)
    message = RENDERING.format(seconds=settings.PDF_RETRY_AFTER_SECONDS)
    return _rendering(Response({"detail": message}, status=status.HTTP_202_ACCEPTED))


def _page_not_found() -> HttpResponse:
    response = HttpResponse(NOT_FOUND_PAGE, status=404)
    response["Content-Security-Policy"] = PAGE_CSP
    return response


@throttle_scope(PUBLIC_RESUME_THROTTLE_SCOPE)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([ScopedRateThrottle])
def public_resume_pdf(request: Request, share_slug: str) -> HttpResponse:
    """The public page's PDF link, in the résumé's theme: the download, or a page that
    reloads itself until the PDF is ready."""
    try:
        resume = resume_get_public(share_slug=share_slug)
    except Http404:
        return _page_not_found()
    pdf = pdf_request(resume=resume, theme=resume.theme)
    if pdf is not None:
        return _download(request, resume, pdf)
    seconds = settings.PDF_RETRY_AFTER_SECONDS
    page = RENDERING_PAGE.format(
        title=escape(resume.title), message=escape(RENDERING.format(seconds=seconds))
    )
    response = HttpResponse(page, status=status.HTTP_202_ACCEPTED)
    response["Refresh"] = str(seconds)
    response["Content-Security-Policy"] = PAGE_CSP
    return _rendering(response)
