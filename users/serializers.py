from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from djoser import serializers as djoser_serializers
from djoser.utils import decode_uid
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, AuthenticationFailed
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.serializers import PasswordField, TokenObtainSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from users.lockout import lockout_ends, lockout_message, retry_after_seconds
from users.messages import LINK_INVALID_MESSAGE
from users.models import User
from users.tokens import parse_user_id, read_token

# The column's length: a longer address can still pass the validator (it allows 320
# characters) and would fail the write (PostgreSQL's varchar) instead of the request.
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length


def email_field(help_text: str = "") -> serializers.EmailField:
    return serializers.EmailField(max_length=EMAIL_MAX_LENGTH, help_text=help_text or None)


REFRESH_EXPIRED_MESSAGE = "Your refresh token has expired; log in again with POST /api/auth/token/."


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


class RegisterSerializer(UsernameMixin, serializers.ModelSerializer):
    """A new account. Its e-mail address is not checked against other accounts' here: a
    taken address must be answered like a free one (users.services.user_register)."""

    email = email_field()
    password = serializers.CharField(
        write_only=True, style={"input_type": "password"}, trim_whitespace=False
    )

    class Meta:
        model = User
        fields = ["id", "username", "email", "password"]
        read_only_fields = ["id"]

    def validate_email(self, value: str) -> str:
        return User.objects.normalize_email(value)

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
        fields = ["id", "username", "email", "email_verified"]
        read_only_fields = fields


class MeSerializer(UsernameMixin, serializers.ModelSerializer):
    """The caller's account; only the username changes here. A new e-mail address is taken
    only once a link mailed to it is opened (EmailChangeSerializer)."""

    class Meta:
        model = User
        fields = ["id", "username", "email", "email_verified", "date_joined"]
        read_only_fields = ["id", "email", "email_verified", "date_joined"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # `email` is read-only: say so rather than ignore a new address without a word.
        email = self.initial_data.get("email") if hasattr(self.initial_data, "get") else None
        if isinstance(email, str) and email.strip().lower() != self.instance.email.lower():
            raise serializers.ValidationError(
                {"email": ["Change your address with POST /api/auth/email/change/."]}
            )
        return attrs


def password_field(help_text: str) -> serializers.CharField:
    """A password as typed: spaces at either end are part of it (registration keeps them)."""
    return serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        max_length=PASSWORD_MAX_LENGTH,
        style={"input_type": "password"},
        help_text=help_text,
    )


# Hashing is the cost of a password check; a longer one is no stronger (PBKDF2 hashes its
# SHA-256 digest once it passes the block size) and only a way to send megabytes.
PASSWORD_MAX_LENGTH = 1024


class CurrentPasswordSerializer(djoser_serializers.CurrentPasswordSerializer):
    """djoser's check of the caller's current password (in the request's context)."""

    current_password = password_field("Your current password.")


class PasswordChangeSerializer(djoser_serializers.SetPasswordSerializer):
    """djoser's password change: the current password, and a new one that passes
    AUTH_PASSWORD_VALIDATORS for this account."""

    current_password = password_field("Your current password.")
    new_password = password_field("The new password.")


class EmailAddressSerializer(serializers.Serializer):
    """An address to mail a link to (password reset, verification)."""

    email = email_field("The account's e-mail address.")

    def validate_email(self, value: str) -> str:
        return User.objects.normalize_email(value)


class EmailChangeSerializer(CurrentPasswordSerializer):
    new_email = email_field("The address to move the account to.")

    def validate_new_email(self, value: str) -> str:
        return User.objects.normalize_email(value)


class LinkTokenSerializer(serializers.Serializer):
    """The token of a link mailed to confirm a new address."""

    token = serializers.CharField(max_length=1024, help_text="The token from the link.")


class AccountLinkSerializer(LinkTokenSerializer):
    """The account (`uid`, djoser's encoding of its id) and token of a link mailed to it. An
    unknown account is refused like a bad token: ids are nobody's business."""

    uid = serializers.CharField(max_length=32, help_text="The account's id, from the link.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            user_id = parse_user_id(decode_uid(attrs["uid"]))
        except (ValueError, UnicodeDecodeError):
            user_id = None
        user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
        if user is None:
            raise serializers.ValidationError({"token": [LINK_INVALID_MESSAGE]})
        attrs["user"] = user
        return attrs


class PasswordResetConfirmSerializer(AccountLinkSerializer):
    new_password = password_field("The new password.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if not default_token_generator.check_token(attrs["user"], attrs["token"]):
            raise serializers.ValidationError({"token": [LINK_INVALID_MESSAGE]})
        try:
            password_validation.validate_password(attrs["new_password"], user=attrs["user"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"new_password": list(exc.messages)}) from exc
        return attrs


class DetailSerializer(serializers.Serializer):
    """An answer that is only a message (documentation only)."""

    detail = serializers.CharField()


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # As typed: simplejwt's field trims spaces that registration keeps in a password.
        self.fields["password"] = PasswordField(trim_whitespace=False)

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


class LoginAnswerSerializer(TokenPairSerializer):
    """Response of logging in (documentation only)."""

    email_verified = serializers.BooleanField()
