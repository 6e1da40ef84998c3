"""The account deletion's documentation (beside users/openapi.py, which documents the rest of
the account's operations)."""

from djoser.serializers import UserDeleteSerializer

from api.openapi import THROTTLED, UNAUTHORIZED, invalid_input
from users.openapi import PASSWORD_AFTER_CHANGE

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
    "request_body": UserDeleteSerializer,
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
