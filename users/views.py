from collections.abc import Callable
from dataclasses import asdict

from django.conf import settings
from drf_yasg.utils import swagger_auto_schema
from rest_framework import status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework_simplejwt.exceptions import InvalidToken

from api.parsers import JSON_OR_FORM_PARSERS
from api.throttling import throttle_scope
from users import deletion, services
from users import openapi as docs
from users.authentication import CredentialsInBody
from users.messages import EMAIL_CHANGE_SENT_MESSAGE, LINK_SENT_MESSAGE, UNVERIFIED_LOGIN_MESSAGE
from users.serializers import (
    AccountLinkSerializer,
    CurrentPasswordSerializer,
    EmailAddressSerializer,
    EmailChangeSerializer,
    LinkTokenSerializer,
    LoginSerializer,
    LogoutSerializer,
    MeSerializer,
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    RefreshSerializer,
    RegisteredUserSerializer,
    RegisterSerializer,
)
from users.services import RefreshTokenSpent, token_pair_rotate, user_log_in, user_register
from users.throttling import AccountChangeThrottle, AccountCreationThrottle, EmailAddressThrottle

REFRESH_SPENT_MESSAGE = (
    "This refresh token was already used or revoked; log in again with POST /api/auth/token/."
)


def post_without_token(scope: str, *throttles: type[BaseThrottle]) -> Callable:
    """A POST operation for callers without a token: what it needs comes in the body (an
    Authorization header is ignored, so a stale token cannot block it, and failed credentials
    still answer 401), throttled per client by `scope` and by `throttles` besides. Under
    `@swagger_auto_schema`, like `@api_view`."""

    def decorate(view: Callable) -> Callable:
        for wrap in (
            parser_classes(JSON_OR_FORM_PARSERS),
            throttle_classes([ScopedRateThrottle, *throttles]),
            permission_classes([AllowAny]),
            authentication_classes([CredentialsInBody]),
            api_view(["POST"]),
            throttle_scope(scope),
        ):
            view = wrap(view)
        return view

    return decorate


def post_checking_password(view: Callable) -> Callable:
    """A POST operation of the caller's that checks their current password: the checks are
    limited per account ("password_check"), so a stolen access token cannot guess it."""
    for wrap in (
        parser_classes(JSON_OR_FORM_PARSERS),
        throttle_classes([ScopedRateThrottle]),
        api_view(["POST"]),
        throttle_scope("password_check"),
    ):
        view = wrap(view)
    return view


@swagger_auto_schema(method="post", **docs.REGISTER)
@post_without_token("register_attempt", AccountCreationThrottle)
def register(request: Request) -> Response:
    serializer = RegisterSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    user = user_register(**serializer.validated_data)
    AccountCreationThrottle().charge(request)
    return Response(RegisteredUserSerializer(user).data, status=status.HTTP_201_CREATED)


@swagger_auto_schema(method="post", **docs.LOG_IN)
@post_without_token("login")
def token_obtain(request: Request) -> Response:
    serializer = LoginSerializer(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    user = serializer.validated_data["user"]
    if not (user.email_verified or settings.ACCOUNT_UNVERIFIED_LOGIN):
        raise PermissionDenied(UNVERIFIED_LOGIN_MESSAGE, code="email_unverified")
    pair = user_log_in(user=user, request=request)
    return Response({**asdict(pair), "email_verified": user.email_verified})


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


@swagger_auto_schema(method="post", **docs.LOG_OUT_EVERYWHERE)
@api_view(["POST"])
def logout_everywhere(request: Request) -> Response:
    services.refresh_tokens_revoke(user=request.user)
    return Response(status=status.HTTP_204_NO_CONTENT)


@swagger_auto_schema(method="post", **docs.PASSWORD_CHANGE)
@post_checking_password
def password_change(request: Request) -> Response:
    serializer = PasswordChangeSerializer(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    pair = services.password_change(
        user=request.user, new_password=serializer.validated_data["new_password"]
    )
    return Response(asdict(pair))


@swagger_auto_schema(method="post", **docs.PASSWORD_RESET)
@post_without_token("account_email", EmailAddressThrottle)
def password_reset(request: Request) -> Response:
    serializer = EmailAddressSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    services.password_reset_request(email=serializer.validated_data["email"])
    return Response({"detail": LINK_SENT_MESSAGE}, status=status.HTTP_202_ACCEPTED)


@swagger_auto_schema(method="post", **docs.PASSWORD_RESET_CONFIRM)
@post_without_token("account_link")
def password_reset_confirm(request: Request) -> Response:
    serializer = PasswordResetConfirmSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    services.password_reset_confirm(
        user=serializer.validated_data["user"],
        token=serializer.validated_data["token"],
        new_password=serializer.validated_data["new_password"],
    )
    return Response(status=status.HTTP_204_NO_CONTENT)


@swagger_auto_schema(method="post", **docs.EMAIL_VERIFY)
@post_without_token("account_link")
def email_verify(request: Request) -> Response:
    serializer = AccountLinkSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    user = services.email_verify(
        user=serializer.validated_data["user"], token=serializer.validated_data["token"]
    )
    return Response(RegisteredUserSerializer(user).data)


@swagger_auto_schema(method="post", **docs.EMAIL_VERIFY_RESEND)
@post_without_token("account_email", EmailAddressThrottle)
def email_verify_resend(request: Request) -> Response:
    serializer = EmailAddressSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    services.verification_resend(email=serializer.validated_data["email"])
    return Response({"detail": LINK_SENT_MESSAGE}, status=status.HTTP_202_ACCEPTED)


@swagger_auto_schema(method="post", **docs.EMAIL_CHANGE)
@post_checking_password
def email_change(request: Request) -> Response:
    serializer = EmailChangeSerializer(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    services.email_change_request(
        user=request.user, new_email=serializer.validated_data["new_email"]
    )
    return Response({"detail": EMAIL_CHANGE_SENT_MESSAGE}, status=status.HTTP_202_ACCEPTED)


@swagger_auto_schema(method="post", **docs.EMAIL_CHANGE_CONFIRM)
@post_without_token("account_link")
def email_change_confirm(request: Request) -> Response:
    serializer = LinkTokenSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    user = services.email_change_confirm(token=serializer.validated_data["token"])
    return Response(RegisteredUserSerializer(user).data)


@swagger_auto_schema(method="post", **docs.ACCOUNT_DELETE)
@post_checking_password
def account_delete(request: Request) -> Response:
    serializer = CurrentPasswordSerializer(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    deletion.account_delete(user=request.user)
    return Response(status=status.HTTP_204_NO_CONTENT)
