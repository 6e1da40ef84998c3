from typing import Any

from django.conf import settings
from rest_framework import serializers
from rest_framework.fields import empty

from images.processing import FORMAT_BY_CONTENT_TYPE
from uploads.models import StagedUpload, UploadPurpose
from uploads.selectors import ClaimedImage, ClaimRejected, staged_image_for_claim


class UploadRequestSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=UploadPurpose.choices)
    content_type = serializers.ChoiceField(choices=sorted(FORMAT_BY_CONTENT_TYPE))
    size = serializers.IntegerField(min_value=1, help_text="The file's size in bytes.")

    def validate_size(self, value: int) -> int:
        if value > settings.IMAGE_MAX_BYTES:
            raise serializers.ValidationError(
                f"Ensure this value is less than or equal to {settings.IMAGE_MAX_BYTES}."
            )
        return value


class PresignedUploadSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Send this as image_key (or avatar_key) afterwards.")
    url = serializers.URLField(help_text="POST the form here.")
    fields = serializers.DictField(
        child=serializers.CharField(),
        help_text="Form fields to send before the file (the file field must come last).",
    )
    expires_at = serializers.DateTimeField()


MAX_KEY_LENGTH = StagedUpload._meta.get_field("key").max_length


class StagedImageKeyField(serializers.CharField):
    """The key of a finished direct upload; validated into a `ClaimedImage`."""

    def __init__(self, purpose: UploadPurpose, **kwargs: Any) -> None:
        self.purpose = purpose
        kwargs.setdefault("required", False)
        kwargs.setdefault("write_only", True)
        kwargs.setdefault(
            "help_text",
            "Instead of a file: the key of an image uploaded straight to S3 "
            "with a presigned POST from POST /api/uploads/.",
        )
        super().__init__(**kwargs)

    def run_validation(self, data: Any = empty) -> ClaimedImage:
        # The CharField checks run on the key string; only then is the key claimed (the
        # claimed image must not go through string validators).
        key = super().run_validation(data)
        if len(key) > MAX_KEY_LENGTH:
            raise serializers.ValidationError("Unknown upload key.")
        try:
            return staged_image_for_claim(
                owner=self.context["request"].user, key=key, purpose=self.purpose
            )
        except ClaimRejected as exc:
            raise serializers.ValidationError(str(exc)) from exc


def merge_claimed_image(attrs: dict[str, Any], image_field: str, key_field: str) -> dict[str, Any]:
    """Turn a validated `<key_field>` into `<image_field>` plus the `staged_upload` to consume."""
    if key_field not in attrs:
        return attrs
    if image_field in attrs:
        raise serializers.ValidationError(
            {key_field: [f"Send either {image_field} or {key_field}, not both."]}
        )
    claimed: ClaimedImage = attrs.pop(key_field)
    return {**attrs, image_field: claimed.image, "staged_upload": claimed.upload}
