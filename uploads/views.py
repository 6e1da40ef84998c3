from drf_yasg.utils import swagger_auto_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes, throttle_classes
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from api.parsers import JSON_OR_FORM_PARSERS
from api.throttling import throttle_scope
from uploads import openapi as docs
from uploads.serializers import PresignedUploadSerializer, UploadRequestSerializer
from uploads.services import staged_upload_create


@swagger_auto_schema(method="post", **docs.START)
@throttle_scope("upload")
@api_view(["POST"])
@throttle_classes([ScopedRateThrottle])
@parser_classes(JSON_OR_FORM_PARSERS)
def upload_create(request: Request) -> Response:
    serializer = UploadRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    upload, form = staged_upload_create(owner=request.user, **serializer.validated_data)
    body = {
        "key": upload.key,
        "url": form["url"],
        "fields": form["fields"],
        "expires_at": upload.expires_at,
    }
    return Response(PresignedUploadSerializer(body).data, status=status.HTTP_201_CREATED)
