from typing import Any

from rest_framework import serializers

from images.fields import SanitizedImageField, StoredImageURLField
from resumes.models import Resume
from resumes.selectors import RESUME_ORDERING_FIELDS
from resumes.services import resume_create, resume_update
from uploads.models import UploadPurpose
from uploads.serializers import StagedImageKeyField, merge_claimed_image


class ResumeSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    image = SanitizedImageField()
    image_key = StagedImageKeyField(purpose=UploadPurpose.RESUME_IMAGE)
    image_thumbnail = StoredImageURLField()

    class Meta:
        model = Resume
        fields = [
            "id",
            "owner",
            "title",
            "summary",
            "image",
            "image_key",
            "image_thumbnail",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "owner", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return merge_claimed_image(attrs, "image", "image_key")

    def create(self, validated_data: dict[str, Any]) -> Resume:
        return resume_create(**validated_data)

    def update(self, instance: Resume, validated_data: dict[str, Any]) -> Resume:
        return resume_update(instance, **validated_data)


class ResumeListQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Words that must all appear in the title or summary.",
    )
    ordering = serializers.ChoiceField(
        required=False,
        choices=[f"{sign}{field}" for field in RESUME_ORDERING_FIELDS for sign in ("", "-")],
        help_text="Sort field; prefix with - for descending. Default: -created_at.",
    )
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=100, help_text="Default 20, at most 100."
    )
