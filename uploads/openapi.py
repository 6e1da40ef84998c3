"""The direct-upload operation's documentation."""

from drf_yasg import openapi

from api.openapi import THROTTLED, UNAUTHORIZED, error_detail, invalid_input
from uploads.models import UploadPurpose
from uploads.serializers import PresignedUploadSerializer, UploadRequestSerializer

START = {
    "operation_id": "uploads_create",
    "operation_summary": "Start a direct upload",
    "operation_description": "Get a presigned POST for one image: the browser POSTs the file "
    "to `url` with `fields` (file last), then sends `key` as `image_key` (résumé) or "
    "`avatar_key` (profile). The file must have exactly the declared size and type.",
    "request_body": UploadRequestSerializer,
    "request_example": {
        "purpose": UploadPurpose.RESUME_IMAGE.value,
        "content_type": "image/jpeg",
        "size": 48213,
    },
    "responses": {
        201: openapi.Response("Where and how to upload the file.", PresignedUploadSerializer),
        400: invalid_input({"size": ["The file is too large (9.5 MiB); the limit is 5.0 MiB."]}),
        401: UNAUTHORIZED,
        409: error_detail(
            "This server stores images on local disk, so browsers cannot upload directly; "
            "send the file in a multipart form instead.",
            "Direct uploads need S3 storage; this server stores images on local disk. "
            "Upload the file through the API instead.",
        ),
        429: THROTTLED,
    },
}
