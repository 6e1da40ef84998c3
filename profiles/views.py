from drf_yasg.utils import swagger_auto_schema
from rest_framework.decorators import api_view, parser_classes
from rest_framework.request import Request
from rest_framework.response import Response

from api.parsers import FILE_FORM_OR_JSON_PARSERS
from profiles import openapi as docs
from profiles.selectors import profile_get_for_user
from profiles.serializers import ProfileSerializer
from profiles.services import profile_update


@swagger_auto_schema(method="get", **docs.PROFILE_READ)
@swagger_auto_schema(method="put", **docs.PROFILE_REPLACE)
@swagger_auto_schema(method="patch", **docs.PROFILE_UPDATE)
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
