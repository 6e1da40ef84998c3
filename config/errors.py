"""JSON bodies for the errors Django answers itself (no view reached, or a crash), so that
no client ever gets an HTML error page or a stack trace."""

from django.http import HttpRequest, JsonResponse


def bad_request(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse({"detail": "Bad request."}, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse({"detail": "You do not have permission to do this."}, status=403)


def not_found(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse({"detail": "Not found."}, status=404)


def server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": "Internal server error; it has been logged."}, status=500)
