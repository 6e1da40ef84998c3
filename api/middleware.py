import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import SimpleLazyObject, empty
from rest_framework.exceptions import ValidationError

from api.logging import request_id_var
from api.parsers import check_value
from storage.budget import request_budget

request_logger = logging.getLogger("request")
# A client may pass its own id (to follow a request across services) if it looks like one.
_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    """Give every request an id (X-Request-ID, in and out) and log one line when it ends.

    The line holds method, path, status, duration and user id: never headers, query strings
    or bodies, where tokens and passwords travel.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _CLIENT_REQUEST_ID.match(offered) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id_var.reset(token)


class RequestBodyLimitMiddleware:
    """Answer 413 before reading a body larger than REQUEST_BODY_MAX_BYTES.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts, so without this a
    client could stream any amount of data into a worker's temporary files.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "HTTP_TRANSFER_ENCODING" in request.META:
            # Django reads a body of CONTENT_LENGTH bytes, so a chunked body (no length)
            # would be read as empty: the request would go on without its data.
            return JsonResponse(
                {
                    "detail": "Send the body with a Content-Length header; chunked "
                    "transfer encoding is not accepted."
                },
                status=411,
            )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Invalid Content-Length header."}, status=400)
        limit = settings.REQUEST_BODY_MAX_BYTES
        if length > limit:
            return JsonResponse({"detail": _too_large(request, length, limit)}, status=413)
        return self.get_response(request)


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def _too_large(request: HttpRequest, length: int, limit: int) -> str:
    # No field can be named before the body is read, but a form body that large is a file.
    if request.content_type == "multipart/form-data":
        return (
            f"The upload is too large ({_mib(length)}); "
            f"images may be at most {_mib(settings.IMAGE_MAX_BYTES)}."
        )
    return f"The request body is too large ({_mib(length)}); the limit is {_mib(limit)}."


class QueryParameterCheckMiddleware:
    """Refuse, naming the parameter, query values no field takes (control characters:
    api.parsers.text_problem), as the body parsers refuse them in bodies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_value({key: values[-1] for key, values in request.GET.lists()})
        except ValidationError as exc:
            return JsonResponse(exc.detail, status=400)
        return self.get_response(request)


class HeadAsGetMiddleware:
    """Answer HEAD as GET would, without the body, wherever GET is allowed.

    DRF's `@api_view(["GET"])` allows only the methods listed, so HEAD was a 405. The
    response keeps GET's status and headers, Content-Length included.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if response.streaming:
            response.streaming_content = []
        else:
            response.headers.setdefault("Content-Length", str(len(response.content)))
            response.content = b""
        return response


class S3BudgetMiddleware:
    """Give the request's S3 calls AWS_S3_REQUEST_BUDGET_SECONDS from now (storage/budget.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_budget(settings.AWS_S3_REQUEST_BUDGET_SECONDS):
            return self.get_response(request)


class LazyMessageMiddleware(MessageMiddleware):
    """Django's MessageMiddleware, whose storage is made when a request first uses messages
    (only the admin does) instead of for every request: making it (two backends and a
    cookie signer) was a twentieth of a small API request's CPU. A request that never used
    it has no messages to store."""

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)
