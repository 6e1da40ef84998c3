"""The profile operations' documentation."""

from drf_yasg import openapi

from api.openapi import (
    STORAGE_UNAVAILABLE,
    UNAUTHORIZED,
    direct_upload_note,
    form_or_json,
    image_errors,
    invalid_input,
)
from profiles.serializers import ProfileSerializer
from uploads.models import UploadPurpose

PROFILE = openapi.Response("Your profile.", ProfileSerializer)
PROFILE_EXAMPLE = {
    "display_name": "Ada Lovelace",
    "headline": "Analyst of the Analytical Engine",
    "bio": "Wrote the first published algorithm meant for a machine.",
    "location": "London",
    "website": "https://example.com/ada",
}
JSON_NOTE = "the same fields as `application/json`. " + direct_upload_note(
    "avatar", "avatar_key", UploadPurpose.AVATAR
)
IMAGE_ERRORS = image_errors("avatar", "avatar_key")

PROFILE_READ = {
    "operation_id": "profiles_me_read",
    "operation_summary": "Show your profile",
    "responses": {200: PROFILE, 401: UNAUTHORIZED},
}

PROFILE_REPLACE = {
    "operation_id": "profiles_me_update",
    "operation_summary": "Replace your profile",
    **form_or_json(
        "Set your profile's fields; each is optional, and one left out keeps its value. "
        "A multipart form can send an avatar file as `avatar`.",
        JSON_NOTE,
        PROFILE_EXAMPLE,
    ),
    "request_body": ProfileSerializer,
    "responses": {
        200: PROFILE,
        400: invalid_input({"website": ["Enter a valid URL."]}, IMAGE_ERRORS),
        401: UNAUTHORIZED,
        503: STORAGE_UNAVAILABLE,
    },
}

PROFILE_UPDATE = {
    "operation_id": "profiles_me_partial_update",
    "operation_summary": "Change your profile",
    **form_or_json(
        "Change only the fields you send. In a form, an empty `avatar` removes the avatar.",
        JSON_NOTE,
        {"headline": "Mathematician and writer"},
    ),
    "request_body": ProfileSerializer,
    "responses": {
        200: PROFILE,
        400: invalid_input(
            {"avatar_key": ["Unknown upload key: request one from POST /api/uploads/."]},
            'A website that is no absolute http(s) URL: `{"website": ["Enter a valid URL."]}`.',
        ),
        401: UNAUTHORIZED,
        503: STORAGE_UNAVAILABLE,
    },
}
