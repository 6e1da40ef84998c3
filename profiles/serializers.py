from typing import Any

from django.core.validators import URLValidator
from rest_framework import serializers

from profiles.attachments import AVATAR
from profiles.models import Profile
from storage.fields import ImageUploadField, StoredImageURLField
from uploads.serializers import StagedImageKeyField, check_one_image_source

# The column is unbounded; a bio is a paragraph or two.
MAX_BIO_LENGTH = 5_000


class ProfileSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    avatar = ImageUploadField()
    avatar_key = StagedImageKeyField()
    avatar_thumbnail = StoredImageURLField()
    # URLField's "format: uri" in the docs would make the empty default invalid.
    website = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=Profile._meta.get_field("website").max_length,
        validators=[URLValidator()],
        help_text="An absolute http(s) URL, or empty.",
    )

    class Meta:
        model = Profile
        fields = [
            "username",
            "display_name",
            "headline",
            "bio",
            "location",
            "website",
            "avatar",
            "avatar_key",
            "avatar_thumbnail",
            "updated_at",
        ]
        read_only_fields = ["username", "updated_at"]
        extra_kwargs = {"bio": {"max_length": MAX_BIO_LENGTH}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return check_one_image_source(attrs, AVATAR)
