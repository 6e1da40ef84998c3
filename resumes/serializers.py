from typing import Any

from django.urls import reverse
from rest_framework import serializers

from presentation.serializers import ThemeField
from resumes.attachments import RESUME_IMAGE
from resumes.json_resume import ContentChangesField, JSONResumeSerializer, export_document
from resumes.json_resume_schema import MAX_LONG_TEXT
from resumes.models import Resume
from resumes.selectors import RESUME_ORDERING_FIELDS
from storage.fields import ImageUploadField, StoredImageURLField
from uploads.serializers import StagedImageKeyField, check_one_image_source


class ResumeSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    image = ImageUploadField()
    image_key = StagedImageKeyField()
    image_thumbnail = StoredImageURLField()
    content = JSONResumeSerializer(required=False)
    content_changes = ContentChangesField(
        help_text="Only in the answer to a request that sent content: what was changed in it "
        "on the way in (empty: stored as sent)."
    )
    theme = ThemeField(required=False, help_text=f"{ThemeField().help_text} Default: classic.")
    share_url = serializers.HyperlinkedIdentityField(
        view_name="public-page",
        lookup_field="share_slug",
        help_text="The public page; it answers only while is_public is true (its data as "
        "JSON: GET /api/public/resumes/{share_slug}/).",
    )

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
            "content",
            "content_changes",
            "is_public",
            "theme",
            "allow_search_indexing",
            "share_slug",
            "share_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "owner", "share_slug", "created_at", "updated_at"]
        # The column is unbounded; no résumé's summary comes near this (an import fills it
        # from basics.summary, bounded the same).
        extra_kwargs = {
            "summary": {"max_length": MAX_LONG_TEXT},
            "allow_search_indexing": {
                "help_text": "Whether search engines may index the public page (default: no)."
            },
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return check_one_image_source(attrs, RESUME_IMAGE)

    def sent_content_changes(self) -> list[dict[str, Any]] | None:
        """After validation: the changes made to the content sent, None if none was sent."""
        if "content" not in self.validated_data:
            return None
        return self.fields["content"].changes


class ResumeListItemSerializer(ResumeSerializer):
    """A résumé in the list: everything but its content, which can be large (read it with
    GET /api/resumes/{id}/)."""

    class Meta(ResumeSerializer.Meta):
        fields = [
            name
            for name in ResumeSerializer.Meta.fields
            if name not in {"content", "content_changes"}
        ]
        ref_name = "ResumeListItem"


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

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A misspelt parameter (`?order=title`) would otherwise be ignored without a word.
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            known = ", ".join(self.fields)
            raise serializers.ValidationError(
                {name: [f"Unknown query parameter; this list reads {known}."] for name in unknown}
            )
        return attrs


class PublicImageLinkField(serializers.FileField):
    """The public endpoint's own link to a stored image (or null): it checks at every request
    that the résumé is still public, then redirects to a short-lived URL."""

    def __init__(self, view_name: str, **kwargs: Any) -> None:
        self.view_name = view_name
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> str | None:
        if not value:
            return None
        url = reverse(self.view_name, kwargs={"share_slug": value.instance.share_slug})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class PublicResumeSerializer(ResumeSerializer):
    """What anyone with the share link sees: nothing about the owner's account, and image
    links that stop working as soon as the link does."""

    image = PublicImageLinkField("public-resume-image")
    image_thumbnail = PublicImageLinkField("public-resume-image-thumbnail")

    class Meta(ResumeSerializer.Meta):
        ref_name = "PublicResume"
        fields = ["title", "summary", "image", "image_thumbnail", "content", "updated_at"]

    def to_representation(self, instance: Resume) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["content"] = export_document(data["content"], data["image"])
        return data


class ResumeExportSerializer(ResumeSerializer):
    """The résumé as a JSON Resume document, basics.image being the résumé's image URL."""

    class Meta(ResumeSerializer.Meta):
        fields = ["image", "content"]

    def to_representation(self, instance: Resume) -> dict[str, Any]:
        data = super().to_representation(instance)
        return export_document(data["content"], data["image"])


class ShareLinkSerializer(ResumeSerializer):
    class Meta(ResumeSerializer.Meta):
        ref_name = "ShareLink"
        fields = ["is_public", "share_slug", "share_url"]
