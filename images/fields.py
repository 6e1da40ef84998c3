"""Serializer fields for images that arrive in the request body."""

from typing import Any

from rest_framework import serializers

from images.links import absolute_file_url
from images.processing import ImageRejected, SanitizedImage, read_upload, sanitize_image


class StoredImageURLField(serializers.FileField):
    """A stored image's absolute URL (presigned while the bucket is private), or null."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> str | None:
        return absolute_file_url(value, self.context.get("request"))


class SanitizedImageField(serializers.FileField):
    """An uploaded JPEG, PNG or WebP, validated and re-encoded before anything is stored.

    The validated value is a `SanitizedImage` (or None to remove the image); the
    representation is the stored image's absolute URL.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        # An empty file gets check_size's words, as on the direct-upload paths.
        kwargs.setdefault("allow_empty_file", True)
        kwargs.setdefault(
            "help_text",
            "JPEG, PNG or WebP. Send null (JSON) or an empty value (form) to remove it.",
        )
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:
        return absolute_file_url(value, self.context.get("request"))

    def to_internal_value(self, data: Any) -> SanitizedImage:
        upload = super().to_internal_value(data)
        try:
            return sanitize_image(read_upload(upload))
        except ImageRejected as exc:
            raise serializers.ValidationError(str(exc)) from exc
