"""The documentation of the preview and theme operations."""

from drf_yasg import openapi

from api.openapi import UNAUTHORIZED, invalid_input
from presentation.serializers import ThemeField, ThemeQuerySerializer, ThemeSerializer
from resumes.openapi import NOT_FOUND

UNKNOWN_THEME = invalid_input(
    {"theme": [ThemeField().error_messages["invalid_choice"].format(input="neon")]},
    "A theme that does not exist is refused by name.",
)

PREVIEW = {
    "operation_id": "resumes_preview",
    "operation_summary": "Preview a résumé in a theme",
    "operation_description": "The résumé as its public page shows it, as an HTML document, "
    "in `theme` (default: the résumé's own), whether it is public or not. Its "
    "Content-Security-Policy lets it load nothing but its photo; show it in a sandboxed "
    "`<iframe srcdoc>`. Errors are JSON.",
    "query_serializer": ThemeQuerySerializer,
    "produces": ["text/html", "application/json"],
    "responses": {
        200: openapi.Response(
            "The HTML document.",
            openapi.Schema(type=openapi.TYPE_STRING),
            examples={"text/html": '<!doctype html>\n<html lang="en" dir="ltr">…</html>'},
        ),
        400: UNKNOWN_THEME,
        401: UNAUTHORIZED,
        404: NOT_FOUND,
    },
}

THEME_LIST = {
    "operation_id": "themes_list",
    "operation_summary": "List the themes",
    "operation_description": "The themes a résumé can be shown in: its `theme` is one of "
    "these names. Its public page, its preview and its PDF use it.",
    "security": [],
    "responses": {200: openapi.Response("Every theme.", ThemeSerializer(many=True))},
}
