"""The auth operations' documentation. The examples belong to one person: signing up with
ACCOUNT, then logging in with it, works as written."""

from drf_yasg import openapi

from api.openapi import THROTTLED, UNAUTHORIZED, error_detail, invalid_input
from users import serializers
from users.lockout import lockout_message

ACCOUNT = {"username": "ada", "email": "ada@example.com", "password": "Analytical-Engine-1843"}
# No example token can be valid: it is signed for one account and expires.
REFRESH_EXAMPLE = {"refresh": "<the refresh token from POST /api/auth/token/>"}

TOKEN_PAIR = openapi.Response(
    "An access token (minutes) and a refresh token (days).", serializers.TokenPairSerializer
)
INVALID_REFRESH = openapi.Response(
    "The refresh token is malformed, expired, revoked or already used.",
    examples={"application/json": {"detail": "Token is invalid", "code": "token_not_valid"}},
)

REGISTER = {
    "operation_id": "auth_register",
    "operation_summary": "Sign up",
    "operation_description": "Create an account; then log in with the same username and "
    "password. The password must have at least 8 characters, 5 of them different, and be "
    "neither common, only digits, nor close to the username or e-mail address.",
    "request_body": serializers.RegisterSerializer,
    "request_example": ACCOUNT,
    "responses": {
        201: openapi.Response("The new account.", serializers.RegisteredUserSerializer),
        400: invalid_input(
            {
                "password": [
                    "The password is too similar to the username.",
                    "This password is too short. It must contain at least 8 characters.",
                    "This password uses too few different characters; use at least 5.",
                ]
            },
            "A username or e-mail address already taken is refused the same way: "
            '`{"username": ["A user with that username already exists."]}`.',
        ),
        429: THROTTLED,
    },
    "security": [],
}

LOG_IN = {
    "operation_id": "auth_token_obtain",
    "operation_summary": "Log in",
    "operation_description": "Exchange username and password for an access token and a "
    "refresh token. Repeated failures lock the username out for a while.",
    "request_body": serializers.LoginSerializer,
    "request_example": {"username": ACCOUNT["username"], "password": ACCOUNT["password"]},
    "responses": {
        200: TOKEN_PAIR,
        400: invalid_input({"password": ["This field is required."]}),
        401: error_detail(
            "Wrong username or password, or the account is inactive.",
            "No active account found with the given credentials",
        ),
        429: error_detail(
            "Too many failed logins (or requests) from this client or for this username; the "
            "Retry-After header says when to retry.",
            lockout_message(15 * 60),
        ),
    },
    "security": [],
}

REFRESH = {
    "operation_id": "auth_token_refresh",
    "operation_summary": "Refresh the access token",
    "operation_description": "Exchange a refresh token for a new access token and a new "
    "refresh token; the old refresh token stops working. Replace the example's placeholder "
    "with the `refresh` that logging in returned.",
    "request_body": serializers.RefreshSerializer,
    "request_example": REFRESH_EXAMPLE,
    "responses": {
        200: TOKEN_PAIR,
        400: invalid_input({"refresh": ["This field is required."]}),
        401: INVALID_REFRESH,
    },
    "security": [],
}

LOG_OUT = {
    "operation_id": "auth_logout",
    "operation_summary": "Log out",
    "operation_description": "Revoke one of your refresh tokens (replace the example's "
    "placeholder with it). Access tokens already issued work until they expire.",
    "request_body": serializers.LogoutSerializer,
    "request_example": REFRESH_EXAMPLE,
    "responses": {
        204: "Logged out: the refresh token no longer works.",
        400: invalid_input({"refresh": ["Token is invalid"]}),
        401: UNAUTHORIZED,
    },
}

ACCOUNT_READ = {
    "operation_id": "auth_me_read",
    "operation_summary": "Show your account",
    "responses": {
        200: openapi.Response("Your account.", serializers.MeSerializer),
        401: UNAUTHORIZED,
    },
}

ACCOUNT_UPDATE = {
    "operation_id": "auth_me_partial_update",
    "operation_summary": "Change your username or e-mail address",
    "operation_description": "A new e-mail address needs your current password. Changes "
    "are rate-limited per account.",
    "request_body": serializers.MeSerializer,
    "request_example": {
        "email": "ada.lovelace@example.com",
        "current_password": ACCOUNT["password"],
    },
    "responses": {
        200: openapi.Response("Your account, changed.", serializers.MeSerializer),
        400: invalid_input(
            {"current_password": ["Enter your current password to change your e-mail address."]}
        ),
        401: UNAUTHORIZED,
        429: THROTTLED,
    },
}
