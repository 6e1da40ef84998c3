"""The API's front door: `/`, the address `make run` prints."""

from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

ENDPOINTS = {
    "register": "auth-register",
    "token": "auth-token",
    "token_refresh": "auth-token-refresh",
    "me": "auth-me",
    "profile": "profile-me",
    "resumes": "resume-list",
    "resume_import": "resume-import",
    "themes": "theme-list",
    "uploads": "upload-create",
}


@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def index(request: Request) -> Response:
    """Where to start: the documentation, then the API's entry points (absolute links)."""
    return Response(
        {
            "name": "resume-api",
            "documentation": {
                "swagger_ui": reverse("schema-swagger-ui", request=request),
                "redoc": reverse("schema-redoc", request=request),
                "openapi": reverse("schema-json", kwargs={"format": "json"}, request=request),
            },
            "start_here": "Register, get a token from `token`, then send "
            "`Authorization: Bearer <access>`; Swagger UI lets you try every call.",
            "endpoints": {
                name: reverse(view_name, request=request) for name, view_name in ENDPOINTS.items()
            },
            "admin": reverse("admin:index", request=request),
        }
    )
