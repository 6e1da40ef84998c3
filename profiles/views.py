from drf_yasg.utils import swagger_auto_schema
from rest_framework.decorators import api_view, parser_classes
from rest_framework.request import Request
from rest_framework.response import Response

from api.openapi import STORAGE_UNAVAILABLE, UNAUTHORIZED, VALIDATION_ERROR, FormUploadAutoSchema
from api.parsers import FILE_FORM_OR_JSON_PARSERS
from profiles.selectors import profile_get_for_user
from profiles.serializers import ProfileSerializer
from profiles.services import profile_update

WRITE_RESPONSES = {
    200: ProfileSerializer,
    400: VALIDATION_ERROR,
    401: UNAUTHORIZED,
    503: STORAGE_UNAVAILABLE,
}


@swagger_auto_schema(
    method="get",
    operation_id="profiles_me_read",
    responses={200: ProfileSerializer, 401: UNAUTHORIZED},
)
@swagger_auto_schema(
    method="put",
    operation_id="profiles_me_update",
    operation_description="Replace the caller's profile. Multipart form data to send an avatar.",
    request_body=ProfileSerializer,
    responses=WRITE_RESPONSES,
    auto_schema=FormUploadAutoSchema,
)
@swagger_auto_schema(
    method="patch",
    operation_id="profiles_me_partial_update",
    operation_description="Change some fields. An empty `avatar` (form) or null (JSON) "
    "removes the avatar.",
    request_body=ProfileSerializer,
    responses=WRITE_RESPONSES,
    auto_schema=FormUploadAutoSchema,
)
@api_view(["GET", "PUT", "PATCH"])
@parser_classes(FILE_FORM_OR_JSON_PARSERS)
def profile_me(request: Request) -> Response:
    profile = profile_get_for_user(request.user)
    if request.method == "GET":
        return Response(ProfileSerializer(profile, context={"request": request}).data)
    serializer = ProfileSerializer(
        profile, data=request.data, partial=request.method == "PATCH", context={"request": request}
    )
    serializer.is_valid(raise_exception=True)
    profile = profile_update(profile, **serializer.validated_data)
    return Response(ProfileSerializer(profile, context={"request": request}).data)
