from typing import Any

from rest_framework import serializers

from resumes.models import Resume
from resumes.selectors import RESUME_ORDERING_FIELDS
from resumes.services import resume_create, resume_update


class ResumeSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    image = serializers.ImageField(
        required=False,
        allow_null=True,
        help_text="JPEG, PNG or WebP. Send null (JSON) or an empty value (form) to remove it.",
    )

    class Meta:
        model = Resume
        fields = ["id", "owner", "title", "summary", "image", "created_at", "updated_at"]
        read_only_fields = ["id", "owner", "created_at", "updated_at"]

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
