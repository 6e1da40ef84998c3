"""The export operations' documentation."""

from drf_yasg import openapi

from api.openapi import THROTTLED, UNAUTHORIZED, error_detail
from exports.serializers import AccountExportSerializer

EXPORT = openapi.Response("The export.", AccountExportSerializer)
NOT_FOUND = error_detail(
    "No such export among yours (or it has expired).", "No AccountExport matches the given query."
)

REQUEST = {
    "operation_id": "exports_create",
    "operation_summary": "Export all your data",
    "operation_description": "Start building a zip of everything the account holds: "
    "`profile.json` (the account, the profile, each résumé's title, summary, theme and "
    "sharing), the avatar as stored, and under `resumes/` each résumé as a JSON Resume "
    "document with its image beside it (basics.image names that file). The answer is the "
    "export, pending: ask `GET /api/exports/{export_id}/` until it is ready, then download "
    "it from `download_url`. It is deleted EXPORT_RETENTION_HOURS later, or with the "
    "account. One is built at a time: while one is pending, asking again answers with that "
    "one. Limited per account (THROTTLE_EXPORT_RATE).",
    "responses": {
        202: openapi.Response(
            "The export, pending (or the one already pending).", AccountExportSerializer
        ),
        401: UNAUTHORIZED,
        429: THROTTLED,
        503: error_detail(
            "The background workers could not be reached; the export failed.",
            "The background workers cannot be reached right now; try again.",
        ),
    },
}

LIST = {
    "operation_id": "exports_list",
    "operation_summary": "List your exports",
    "operation_description": "Your exports that have not expired, newest first.",
    "responses": {
        200: openapi.Response("Your exports.", AccountExportSerializer(many=True)),
        401: UNAUTHORIZED,
    },
}

READ = {
    "operation_id": "exports_read",
    "operation_summary": "Show an export",
    "operation_description": "Its status; when ready, a `download_url` that downloads the zip "
    "for EXPORT_URL_EXPIRE_SECONDS (ask again for a fresh one); when failed, the `problem`.",
    "responses": {200: EXPORT, 401: UNAUTHORIZED, 404: NOT_FOUND},
}
