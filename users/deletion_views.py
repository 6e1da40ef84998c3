from djoser.serializers import UserDeleteSerializer
from drf_yasg.utils import swagger_auto_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes, throttle_classes
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from api.parsers import JSON_OR_FORM_PARSERS
from api.throttling import throttle_scope
from users import deletion_openapi as docs
from users.deletion import account_delete


@swagger_auto_schema(method="post", **docs.ACCOUNT_DELETE)
@throttle_scope("password_check")
@api_view(["POST"])
@throttle_classes([ScopedRateThrottle])
@parser_classes(JSON_OR_FORM_PARSERS)
def account_delete_view(request: Request) -> Response:
    serializer = UserDeleteSerializer(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    account_delete(user=request.user)
    return Response(status=status.HTTP_204_NO_CONTENT)
