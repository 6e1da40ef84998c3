from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


class RequestBodyLimitMiddleware:
    """Answer 413 before reading a body larger than REQUEST_BODY_MAX_BYTES.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts, so without this a
    client could stream any amount of data into a worker's temporary files.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Invalid Content-Length header."}, status=400)
        limit = settings.REQUEST_BODY_MAX_BYTES
        if length > limit:
            return JsonResponse(
                {"detail": f"Request body too large ({length} bytes); the limit is {limit} bytes."},
                status=413,
            )
        return self.get_response(request)
