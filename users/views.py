from dataclasses import asdict

from drf_yasg.utils import swagger_auto_schema
from rest_framework import status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework_simplejwt.exceptions import InvalidToken

from api.parsers import JSON_OR_FORM_PARSERS
from api.throttling import throttle_scope
from users import openapi as docs
from users.authentication import CredentialsInBody
from users.serializers import (
    LoginSerializer,
    LogoutSerializer,
    MeSerializer,
    RefreshSerializer,
    RegisteredUserSerializer,
    RegisterSerializer,
)
from users.services import RefreshTokenSpent, token_pair_rotate, user_log_in, user_register
from users.throttling import AccountChangeThrottle, AccountCreationThrottle

REFRESH_SPENT_MESSAGE = (
    "This refresh token was already used or revoked; log in again with POST /api/auth/token/."
)


@swagger_auto_schema(method="post", **docs.REGISTER)
@throttle_scope("register_attempt")
@api_view(["POST"])
@authentication_classes([CredentialsInBody])
@permission_classes([AllowAny])
@throttle_classes([ScopedRateThrottle, AccountCreationThrottle])
@parser_classes(JSON_OR_FORM_PARSERS)
def register(request: Request) -> Response:
    serializer = RegisterSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    user = user_register(**serializer.validated_data)
    AccountCreationThrottle().charge(request)
    return Response(RegisteredUserSerializer(user).data, status=status.HTTP_201_CREATED)


@swagger_auto_schema(method="post", **docs.LOG_IN)
@throttle_scope("login")
@api_view(["POST"])
@authentication_classes([CredentialsInBody])
@permission_classes([AllowAny])
@throttle_classes([ScopedRateThrottle])
@parser_classes(JSON_OR_FORM_PARSERS)
def token_obtain(request: Request) -> Response:
    serializer = LoginSerializer(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return Response(asdict(user_log_in(user=serializer.validated_data["user"], request=request)))


@swagger_auto_schema(method="post", **docs.REFRESH)
@api_view(["POST"])
@authentication_classes([CredentialsInBody])
@permission_classes([AllowAny])
@parser_classes(JSON_OR_FORM_PARSERS)
def token_refresh(request: Request) -> Response:
    serializer = RefreshSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        pair = token_pair_rotate(**serializer.validated_data)
    except RefreshTokenSpent as exc:
        raise InvalidToken(REFRESH_SPENT_MESSAGE) from exc
    return Response(asdict(pair))


@swagger_auto_schema(method="post", **docs.LOG_OUT)
@api_view(["POST"])
@parser_classes(JSON_OR_FORM_PARSERS)
def logout(request: Request) -> Response:
    serializer = LogoutSerializer(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    serializer.validated_data["refresh"].blacklist()
    return Response(status=status.HTTP_204_NO_CONTENT)


@swagger_auto_schema(method="get", **docs.ACCOUNT_READ)
@swagger_auto_schema(method="patch", **docs.ACCOUNT_UPDATE)
@throttle_scope("account_change")
@api_view(["GET", "PATCH"])
@throttle_classes([AccountChangeThrottle])
@parser_classes(JSON_OR_FORM_PARSERS)
def me(request: Request) -> Response:
    if request.method == "GET":
        return Response(MeSerializer(request.user).data)
    serializer = MeSerializer(request.user, data=request.data, partial=True)
    serializer.is_valid(raise_exception=True)
    serializer.save()
    return Response(serializer.data)
