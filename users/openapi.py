"""The auth operations' documentation. The examples belong to one person: signing up with
ACCOUNT, then logging in with it, works as written."""

from drf_yasg import openapi
from drf_yasg.utils import no_body

from api.openapi import THROTTLED, UNAUTHORIZED, error_detail, invalid_input
from users import serializers
from users.lockout import lockout_message
from users.messages import (
    EMAIL_CHANGE_SENT_MESSAGE,
    LINK_INVALID_MESSAGE,
    LINK_SENT_MESSAGE,
    UNVERIFIED_LOGIN_MESSAGE,
)

ACCOUNT = {"username": "ada", "email": "ada@example.com", "password": "Analytical-Engine-1843"}
# Ada forgets her password and resets it, then changes it again.
PASSWORD_AFTER_RESET = "Difference-Engine-1822"  # noqa: S105 - a documented example
PASSWORD_AFTER_CHANGE = "Notes-by-the-Translator-1843"  # noqa: S105 - a documented example
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
    "neither common, only digits, nor close to the username or e-mail address. The address "
    "gets a link that verifies it (`POST /api/auth/email/verify/`). The answer is the same "
    "whether or not another account uses the address: that account's owner is told instead, "
    "and this account's address stays unverified.",
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
            "A username already taken is refused the same way: "
            '`{"username": ["A user with that username already exists."]}` (usernames are '
            "public; e-mail addresses are not).",
        ),
        429: THROTTLED,
    },
    "security": [],
}

LOG_IN = {
    "operation_id": "auth_token_obtain",
    "operation_summary": "Log in",
    "operation_description": "Exchange username and password for an access token and a "
    "refresh token; `email_verified` says whether the account's address is verified. "
    "Repeated failures lock the username out for a while.",
    "request_body": serializers.LoginSerializer,
    "request_example": {"username": ACCOUNT["username"], "password": ACCOUNT["password"]},
    "responses": {
        200: openapi.Response(
            "An access token (minutes), a refresh token (days), and whether the account's "
            "address is verified.",
            serializers.LoginAnswerSerializer,
        ),
        400: invalid_input({"password": ["This field is required."]}),
        401: error_detail(
            "Wrong username or password, or the account is inactive.",
            "No active account found with the given credentials",
        ),
        403: error_detail(
            "The address is not verified and this service lets only verified accounts log "
            "in (ACCOUNT_UNVERIFIED_LOGIN off).",
            UNVERIFIED_LOGIN_MESSAGE,
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
    "operation_summary": "Change your username",
    "operation_description": "Changes are rate-limited per account. The e-mail address is "
    "changed with `POST /api/auth/email/change/`.",
    "request_body": serializers.MeSerializer,
    "request_example": {"username": "ada.lovelace"},
    "responses": {
        200: openapi.Response("Your account, changed.", serializers.MeSerializer),
        400: invalid_input(
            {
                "username": [
                    "Enter a valid username. This value may contain only letters, numbers, "
                    "and @/./+/-/_ characters."
                ]
            },
            "A username already taken is refused the same way.",
        ),
        401: UNAUTHORIZED,
        429: THROTTLED,
    },
}

LINK_SENT = openapi.Response(
    "Accepted. The same answer whether or not an account has the address, so it tells "
    "nobody which addresses are registered.",
    serializers.DetailSerializer,
    examples={"application/json": {"detail": LINK_SENT_MESSAGE}},
)
# A link's token comes only in an e-mail: the examples cannot hold a working one.
LINK_EXAMPLE = {"uid": "<uid from the link>", "token": "<token from the link>"}
INVALID_LINK = invalid_input(
    {"token": [LINK_INVALID_MESSAGE]},
    "The link's account or token is wrong, or it expired or was used.",
)

LOG_OUT_EVERYWHERE = {
    "operation_id": "auth_logout_all",
    "operation_summary": "Log out everywhere",
    "operation_description": "Revoke every refresh token of your account: every device has "
    "to log in again once its access token expires (minutes).",
    "request_body": no_body,
    "responses": {204: "Every refresh token of the account is revoked.", 401: UNAUTHORIZED},
}

PASSWORD_CHANGE = {
    "operation_id": "auth_password_change",
    "operation_summary": "Change your password",
    "operation_description": "With your current password. Every refresh token issued before "
    "stops working (every other session is logged out); use the new pair in the answer. "
    "Your address is told. Password checks are rate-limited per account.",
    "request_body": serializers.PasswordChangeSerializer,
    "request_example": {
        "current_password": PASSWORD_AFTER_RESET,
        "new_password": PASSWORD_AFTER_CHANGE,
    },
    "responses": {
        200: TOKEN_PAIR,
        400: invalid_input({"current_password": ["Invalid password."]}),
        401: UNAUTHORIZED,
        429: THROTTLED,
    },
}

# Asking for a link by address, without a token: the same request and answers for any address.
MAIL_A_LINK = {
    "request_body": serializers.EmailAddressSerializer,
    "request_example": {"email": ACCOUNT["email"]},
    "responses": {
        202: LINK_SENT,
        400: invalid_input({"email": ["Enter a valid email address."]}),
        429: THROTTLED,
    },
    "security": [],
}

PASSWORD_RESET = {
    "operation_id": "auth_password_reset",
    "operation_summary": "Forgot your password? Get a reset link",
    "operation_description": "Mails a link that sets a new password to the account with "
    "this address (the frontend opens it and calls `POST /api/auth/password/reset/confirm/`). "
    "Rate-limited per client and per address.",
    **MAIL_A_LINK,
}

PASSWORD_RESET_CONFIRM = {
    "operation_id": "auth_password_reset_confirm",
    "operation_summary": "Set a new password from a reset link",
    "operation_description": "With the `uid` and `token` of the mailed link "
    "(`#/reset-password/<uid>/<token>`). The link works once and expires; every refresh "
    "token of the account stops working. The link also verifies the address.",
    "request_body": serializers.PasswordResetConfirmSerializer,
    "request_example": {**LINK_EXAMPLE, "new_password": PASSWORD_AFTER_RESET},
    "responses": {
        204: "The new password is set; log in with it.",
        400: INVALID_LINK,
        429: THROTTLED,
    },
    "security": [],
}

EMAIL_VERIFY = {
    "operation_id": "auth_email_verify",
    "operation_summary": "Verify your e-mail address",
    "operation_description": "With the `uid` and `token` of the link mailed at sign-up "
    "(`#/verify-email/<uid>/<token>`).",
    "request_body": serializers.AccountLinkSerializer,
    "request_example": LINK_EXAMPLE,
    "responses": {
        200: openapi.Response("The account, verified.", serializers.RegisteredUserSerializer),
        400: INVALID_LINK,
        429: THROTTLED,
    },
    "security": [],
}

EMAIL_VERIFY_RESEND = {
    "operation_id": "auth_email_verify_resend",
    "operation_summary": "Send the verification link again",
    "operation_description": "To an unverified account with this address. Rate-limited per "
    "client and per address.",
    **MAIL_A_LINK,
}

EMAIL_CHANGE = {
    "operation_id": "auth_email_change",
    "operation_summary": "Change your e-mail address",
    "operation_description": "With your current password. The new address gets a link; the "
    "account moves to it, verified, once the link is opened "
    "(`POST /api/auth/email/change/confirm/`), and the old address is told. The answer is the "
    "same whether or not another account has the new address.",
    "request_body": serializers.EmailChangeSerializer,
    "request_example": {
        "new_email": "ada.lovelace@example.com",
        "current_password": PASSWORD_AFTER_CHANGE,
    },
    "responses": {
        202: openapi.Response(
            "Accepted: the link is on its way.",
            serializers.DetailSerializer,
            examples={"application/json": {"detail": EMAIL_CHANGE_SENT_MESSAGE}},
        ),
        400: invalid_input({"current_password": ["Invalid password."]}),
        401: UNAUTHORIZED,
        429: THROTTLED,
    },
}

EMAIL_CHANGE_CONFIRM = {
    "operation_id": "auth_email_change_confirm",
    "operation_summary": "Confirm a new e-mail address",
    "operation_description": "With the `token` of the link mailed to the new address "
    "(`#/confirm-email/<token>`).",
    "request_body": serializers.LinkTokenSerializer,
    "request_example": {"token": "<token from the link>"},
    "responses": {
        200: openapi.Response(
            "The account, on its new address.", serializers.RegisteredUserSerializer
        ),
        400: INVALID_LINK,
        429: THROTTLED,
    },
    "security": [],
}

ACCOUNT_DELETE = {
    "operation_id": "auth_me_delete",
    "operation_summary": "Delete your account",
    "tags": ["account deletion"],
    "operation_description": "Delete the account for good, with your current password: "
    "the profile, every résumé, their PDFs and share links, direct uploads, exports and "
    "every stored file (images, thumbnails, avatar, PDFs, exports) go; the refresh tokens "
    "stop working. Files are deleted from storage right after, in the background. Other "
    "accounts' data is untouched. Attempts are limited per account "
    "(THROTTLE_PASSWORD_CHECK_RATE).",
    "request_body": serializers.CurrentPasswordSerializer,
    # The password the examples before it leave the account with.
    "request_example": {"current_password": PASSWORD_AFTER_CHANGE},
    "responses": {
        204: "Deleted: the account and everything it held are gone.",
        400: invalid_input(
            {"current_password": ["Invalid password."]},
            "A wrong or missing password; nothing is deleted.",
        ),
        401: UNAUTHORIZED,
        429: THROTTLED,
    },
}
