from typing import Any

from rest_framework import serializers

from images.processing import FORMAT_BY_CONTENT_TYPE, ImageRejected, check_size
from storage.attachments import ImageAttachment
from uploads.models import StagedUpload, UploadPurpose


class UploadRequestSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=UploadPurpose.choices)
    content_type = serializers.ChoiceField(choices=sorted(FORMAT_BY_CONTENT_TYPE))
    size = serializers.IntegerField(
        min_value=0, help_text="The file's size in bytes: S3 accepts a file of exactly this size."
    )

    def validate_size(self, value: int) -> int:
        # The same words as for a file sent through the API.
        try:
            check_size(value)
        except ImageRejected as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return value


class PresignedUploadSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Send this as image_key (or avatar_key) afterwards.")
    url = serializers.URLField(help_text="POST the form here.")
    fields = serializers.DictField(
        child=serializers.CharField(),
        help_text="Form fields to send before the file (the file field must come last).",
    )
    expires_at = serializers.DateTimeField(
        help_text="Upload the file and claim its key before this time."
    )


class StagedImageKeyField(serializers.CharField):
    """The key of a finished direct upload. Only its shape is checked here: the service
    claims it once the rest of the request is valid."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("write_only", True)
        kwargs.setdefault("max_length", StagedUpload._meta.get_field("key").max_length)
        kwargs.setdefault("error_messages", {"max_length": "Unknown upload key."})
        kwargs.setdefault(
            "help_text",
            "Instead of a file: the key of an image uploaded straight to S3 "
            "with a presigned POST from POST /api/uploads/. Each key has one claim attempt.",
        )
        super().__init__(**kwargs)


def check_one_image_source(attrs: dict[str, Any], attachment: ImageAttachment) -> dict[str, Any]:
    """Refuse a request that sends both a file and an upload key for one image."""
    image_field, key_field = attachment.field, attachment.key_field
    if key_field in attrs and image_field in attrs:
        raise serializers.ValidationError(
            {key_field: [f"Send either {image_field} or {key_field}, not both."]}
        )
    return attrs
