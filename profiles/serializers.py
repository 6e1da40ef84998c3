from typing import Any

from rest_framework import serializers

from profiles.models import Profile
from profiles.services import profile_update


class ProfileSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    avatar = serializers.ImageField(
        required=False,
        allow_null=True,
        help_text="JPEG, PNG or WebP. Send null (JSON) or an empty value (form) to remove it.",
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
            "updated_at",
        ]
        read_only_fields = ["username", "updated_at"]

    def update(self, instance: Profile, validated_data: dict[str, Any]) -> Profile:
        return profile_update(instance, **validated_data)
