from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, AuthenticationFailed
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.serializers import TokenObtainSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from users.lockout import lockout_ends, lockout_message, retry_after_seconds
from users.models import User
from users.tokens import parse_user_id, read_token

REFRESH_EXPIRED_MESSAGE = "Your refresh token has expired; log in again with POST /api/auth/token/."


EMAIL_TAKEN_MESSAGE = "A user with that email already exists."


def email_taken(email: str, *, instance: User | None) -> bool:
    """E-mail addresses are unique ignoring case; the database enforces it too."""
    others = User.objects.filter(email__iexact=email)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    return others.exists()


class EmailUniqueMixin:
    instance: User | None

    def validate_email(self, value: str) -> str:
        value = User.objects.normalize_email(value)
        if email_taken(value, instance=self.instance):
            raise serializers.ValidationError(EMAIL_TAKEN_MESSAGE)
        return value


class UsernameMixin:
    """Validate the username as it will be stored: Django normalizes it (NFKC) on save,
    which could otherwise turn an accepted name into a taken or invalid one. Usernames are
    unique ignoring case; the database enforces it too."""

    instance: User | None

    def to_internal_value(self, data: Any) -> Any:
        username = data.get("username") if hasattr(data, "get") else None
        if isinstance(username, str):
            data = data.copy()
            data["username"] = User.normalize_username(username)
        return super().to_internal_value(data)

    def validate_username(self, value: str) -> str:
        others = User.objects.filter(username__iexact=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError("A user with that username already exists.")
        return value


class RegisterSerializer(UsernameMixin, EmailUniqueMixin, serializers.ModelSerializer):
    email = serializers.EmailField()
    password = serializers.CharField(
        write_only=True, style={"input_type": "password"}, trim_whitespace=False
    )

    class Meta:
        model = User
        fields = ["id", "username", "email", "password"]
        read_only_fields = ["id"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        candidate = User(username=attrs.get("username", ""), email=attrs.get("email", ""))
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return attrs


class RegisteredUserSerializer(serializers.ModelSerializer):
    """The new account, as the registration answers it."""

    class Meta:
        model = User
        fields = ["id", "username", "email"]
        read_only_fields = fields


class MeSerializer(UsernameMixin, serializers.ModelSerializer):
    """The caller's account. A new e-mail address needs the current password, checked before
    the address is looked up, so a stolen access token alone cannot change it nor probe
    which addresses are registered (the view also throttles changes per account)."""

    email = serializers.EmailField()
    current_password = serializers.CharField(
        write_only=True,
        required=False,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="Your password; required to change the e-mail address.",
    )

    class Meta:
        model = User
        fields = ["id", "username", "email", "date_joined", "current_password"]
        read_only_fields = ["id", "date_joined"]

    def validate_email(self, value: str) -> str:
        return User.objects.normalize_email(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        password = attrs.pop("current_password", "")
        email = attrs.get("email")
        if email is None or email.lower() == self.instance.email.lower():
            return attrs
        if not password:
            raise serializers.ValidationError(
                {"current_password": "Enter your current password to change your e-mail address."}
            )
        if not self.instance.check_password(password):
            raise serializers.ValidationError(
                {"current_password": "This is not your current password."}
            )
        if email_taken(email, instance=self.instance):
            raise serializers.ValidationError({"email": EMAIL_TAKEN_MESSAGE})
        return attrs


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField(help_text="The refresh token to revoke.")

    def validate_refresh(self, value: str) -> RefreshToken:
        try:
            token = RefreshToken(value)
        except TokenError as exc:
            raise serializers.ValidationError(str(exc)) from exc
        user = self.context["request"].user
        if str(token.get("user_id")) != str(user.pk):
            raise serializers.ValidationError("This refresh token does not belong to you.")
        return token


class RefreshSerializer(serializers.Serializer):
    """A refresh token of an active user. Not simplejwt's TokenRefreshSerializer: it rotates
    while validating, not atomically (users.services.token_pair_rotate), and its user lookup
    answers 500 for a deleted user or a user id that is no number."""

    refresh = serializers.CharField(help_text="The refresh token to exchange.")

    def validate_refresh(self, value: str) -> RefreshToken:
        return read_token(RefreshToken, value, expired_message=REFRESH_EXPIRED_MESSAGE)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user_id = parse_user_id(attrs["refresh"].get(api_settings.USER_ID_CLAIM))
        user = User.objects.filter(pk=user_id).first() if user_id is not None else None
        if user is None or not api_settings.USER_AUTHENTICATION_RULE(user):
            raise InvalidToken(
                "No active account found for the given token.", code="no_active_account"
            )
        attrs["user"] = user
        return attrs


class LoginLockedOut(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "login_locked_out"

    def __init__(self, wait: int) -> None:
        super().__init__(lockout_message(wait))
        self.wait = wait  # DRF's exception handler sends it as Retry-After


class LoginSerializer(TokenObtainSerializer):
    """Username and password, checked by Django's authenticate() with the request, so that
    django-axes counts failures and refuses locked-out clients (users.lockout)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            super().validate(attrs)
        except AuthenticationFailed:
            request = self.context["request"]
            if getattr(request, "axes_locked_out", False):
                ends = lockout_ends(request)
                raise LoginLockedOut(retry_after_seconds(ends) if ends else 60) from None
            raise
        return {"user": self.user}


class TokenPairSerializer(serializers.Serializer):
    """Response of the token endpoints (documentation only)."""

    access = serializers.CharField()
    refresh = serializers.CharField()
