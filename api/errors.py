"""Every error response, in JSON: DRF's exception handler (plus domain errors, infrastructure
failures and oversized bodies) for the API's views, and Django's handler views for what no
view answers (an unknown URL, a crash), so that no client ever gets an HTML page or a stack
trace."""

import logging

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


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, FieldRejected):
        return Response({exc.field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DirectUploadUnavailable):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, PDFTooLong):
        return Response({"detail": str(exc)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, BrokerError):
        logger.error("Could not queue background work: %s", exc)
        return Response(
            {"detail": "The background workers cannot be reached right now; try again."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    if isinstance(exc, (BotoCoreError, ClientError)):
        logger.error("Image storage failed: %s", exc)
        return Response(
            {"detail": "The image store is unavailable right now; nothing was saved. Try again."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    if isinstance(exc, IntegrityError):
        logger.warning("Write conflicted with a concurrent change: %s", exc)
        return Response(
            {"detail": "This change conflicts with another one made at the same time; retry."},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DatabaseError):
        logger.error("Database failed: %s", exc)
        return Response(
            {"detail": "The database is unavailable right now; nothing was saved. Try again."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": "Request body too large."},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
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
