"""Serializer fields for stored images: a file in the request, a URL in the response."""

from typing import Any

from rest_framework import serializers

from images.processing import ImageRejected, check_size
from storage.links import absolute_file_url


class StoredImageURLField(serializers.FileField):
    """A stored image's absolute URL (presigned while the bucket is private), or null."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> str | None:
        return absolute_file_url(value, self.context.get("request"))


class ImageUploadField(serializers.FileField):
    """An uploaded file of at most IMAGE_MAX_BYTES (or None to remove the image); whether it
    is an acceptable image is the service's to find out. The representation is the stored
    image's absolute URL."""

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

    def to_internal_value(self, data: Any) -> Any:
        upload = super().to_internal_value(data)
        try:
            check_size(upload.size)
        except ImageRejected as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return upload
