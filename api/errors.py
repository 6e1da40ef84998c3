"""Every error response, in JSON: DRF's exception handler (plus domain errors, infrastructure
failures and oversized bodies) for the API's views, and Django's handler views for what no
view answers (an unknown URL, a crash), so that no client ever gets an HTML page or a stack
trace. (The public pages under /r/ are HTML for people: presentation.pages answers their
errors.)"""

import logging
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, IntegrityError
from django.http import HttpRequest, JsonResponse
from kombu.exceptions import OperationalError as BrokerError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from pdfs.errors import PDFTooLong
from storage.errors import DirectUploadUnavailable, FieldRejected

logger = logging.getLogger(__name__)


def domain_error_answer(exc: Exception) -> tuple[int, dict[str, Any]] | None:
    """(status, JSON body) for a domain error or an infrastructure failure; None for any
    other exception. The API's views answer with it as JSON, the public pages as HTML."""
    if isinstance(exc, FieldRejected):
        return status.HTTP_400_BAD_REQUEST, {exc.field: [exc.message]}
    if isinstance(exc, DirectUploadUnavailable):
        return status.HTTP_409_CONFLICT, {"detail": str(exc)}
    if isinstance(exc, PDFTooLong):
        return status.HTTP_422_UNPROCESSABLE_ENTITY, {"detail": str(exc)}
    if isinstance(exc, BrokerError):
        logger.error("Could not queue background work: %s", exc)
        detail = "The background workers cannot be reached right now; try again."
        return status.HTTP_503_SERVICE_UNAVAILABLE, {"detail": detail}
    if isinstance(exc, (BotoCoreError, ClientError)):
        logger.error("Image storage failed: %s", exc)
        detail = "The image store is unavailable right now; nothing was saved. Try again."
        return status.HTTP_503_SERVICE_UNAVAILABLE, {"detail": detail}
    if isinstance(exc, IntegrityError):
        logger.warning("Write conflicted with a concurrent change: %s", exc)
        detail = "This change conflicts with another one made at the same time; retry."
        return status.HTTP_409_CONFLICT, {"detail": detail}
    if isinstance(exc, DatabaseError):
        logger.error("Database failed: %s", exc)
        detail = "The database is unavailable right now; nothing was saved. Try again."
        return status.HTTP_503_SERVICE_UNAVAILABLE, {"detail": detail}
    if isinstance(exc, RequestDataTooBig):
        return status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, {"detail": "Request body too large."}
    return None


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    answer = domain_error_answer(exc)
    if answer is not None:
        code, body = answer
        return Response(body, status=code)
    return exception_handler(exc, context)


# Django's handler400/403/404/500 (config/urls.py): requests that reach no DRF view.
def bad_request(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse({"detail": "Bad request."}, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse({"detail": "You do not have permission to do this."}, status=403)


def not_found(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse({"detail": "Not found."}, status=404)


def server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": "Internal server error; it has been logged."}, status=500)
