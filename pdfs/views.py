from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from drf_yasg.utils import swagger_auto_schema
from rest_framework import status
from rest_framework.decorators import api_view, authentication_classes
from rest_framework.request import Request
from rest_framework.response import Response

from api.query_parameters import validated_query
from pdfs import openapi as docs
from pdfs.models import ResumePDF
from pdfs.selectors import RESUME_WITH_ITS_PDF
from pdfs.services import pdf_request
from presentation import pages
from presentation.serializers import ThemeQuerySerializer
from presentation.themes import theme_or_default
from resumes.models import Resume
from resumes.selectors import resume_get_public
from resumes.views import requested_resume
from storage.links import absolute, download_url
from users.authentication import AccessTokenIdAuthentication

RENDERING = "The PDF is being rendered; ask again in {seconds} seconds."


def _download(request: HttpRequest, resume: Resume, pdf: ResumePDF) -> HttpResponseRedirect:
    """302 to a short-lived S3 URL that downloads the PDF as `<title>.pdf`."""
    lifetime = settings.PDF_URL_EXPIRE_SECONDS
    url = download_url(pdf.file.storage, pdf.file.name, lifetime, resume.download_name("pdf"))
    response = HttpResponseRedirect(absolute(url, request))
    # A browser that follows a cached redirect must still find its target valid.
    patch_cache_control(response, private=True, max_age=lifetime // 2)
    return response


def _rendering(response: HttpResponse) -> HttpResponse:
    response["Retry-After"] = str(settings.PDF_RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    return response


@swagger_auto_schema(method="get", **docs.RESUME_PDF)
@api_view(["GET"])
@authentication_classes([AccessTokenIdAuthentication])
def resume_pdf(request: Request, resume_id: int) -> HttpResponse:
    resume = requested_resume(request, resume_id, RESUME_WITH_ITS_PDF)
    theme = theme_or_default(resume.theme).name
    theme = validated_query(ThemeQuerySerializer, request).get("theme") or theme
    pdf = pdf_request(resume=resume, theme=theme)
    if pdf is not None:
        return _download(request, resume, pdf)
    message = RENDERING.format(seconds=settings.PDF_RETRY_AFTER_SECONDS)
    return _rendering(Response({"detail": message}, status=status.HTTP_202_ACCEPTED))


@pages.share_link_view
def public_resume_pdf(request: HttpRequest, share_slug: str) -> HttpResponse:
    """The public page's PDF link, in the résumé's theme: the download, or a page that
    reloads itself until the PDF is ready."""
    resume = resume_get_public(share_slug=share_slug)
    pdf = pdf_request(resume=resume, theme=theme_or_default(resume.theme).name)
    if pdf is not None:
        return _download(request, resume, pdf)
    seconds = settings.PDF_RETRY_AFTER_SECONDS
    message = f"{RENDERING.format(seconds=seconds)} This page reloads itself; the download "
    message += "starts when the PDF is ready."
    return _rendering(pages.pdf_rendering(request, message=message, retry_after=seconds))
