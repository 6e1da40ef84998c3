from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.request import Request

from presentation.serializers import ThemeField
from resumes.attachments import RESUME_IMAGE
from resumes.json_resume import ContentChangesField, JSONResumeSerializer, export_document
from resumes.json_resume_schema import MAX_LONG_TEXT
from resumes.models import Resume
from resumes.selectors import (
    RESUME_LIST_COLUMNS,
    RESUME_LIST_DATETIMES,
    RESUME_ORDERINGS,
    SHARE_SLUG_SHAPE,
)
from storage.fields import ImageUploadField, StoredImageURLField
from storage.links import AbsoluteURLs
from uploads.serializers import StagedImageKeyField, check_one_image_source


class ResumeFieldsSerializer(serializers.ModelSerializer):
    """A résumé's fields, represented by DRF field by field: the base of the variants that
    show some of them (public, export, share link)."""

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


# What ResumeRepresentation reads: the model's columns the list shows, the image fields'
# storages, and the declared content field (it returns stored content as it is).
_IMAGE = Resume._meta.get_field(RESUME_IMAGE.field)
_THUMBNAIL = Resume._meta.get_field(RESUME_IMAGE.thumbnail_field)
_VALUES = tuple(name for name in RESUME_LIST_COLUMNS if name not in (_IMAGE.name, _THUMBNAIL.name))
_CONTENT = ResumeFieldsSerializer._declared_fields["content"]
# The keys a résumé's representation has before its content.
_BEFORE_CONTENT = ("id", "owner", "title", "summary", "image", "image_thumbnail")
_NO_OFFSET = timedelta(0)
_UTC_ZONES = (UTC, ZoneInfo("UTC"))
_CREATED_AT_TEXT, _UPDATED_AT_TEXT = RESUME_LIST_DATETIMES
# DRF's field for datetimes it does not write itself here; its representation reads the
# settings and the current time zone at each call.
_DATETIME_FIELD = serializers.DateTimeField()


class ResumeRepresentation:
    """What ResumeFieldsSerializer's fields make of résumés, built directly for one request.

    DRF builds a ModelSerializer's fields anew for each serializer (deep copies, model
    introspection) and walks them for every row: that was a third of a detail request's CPU
    and about 100 µs a row of the list. This gives the same values (tests/resumes/
    test_serializers.py compares them with DRF's, field by field) from a model instance or
    from a list row (`resume_list`'s values), reversing the share link once per request.
    """

    _SLUG_PLACEHOLDER = "share-slug"

    def __init__(self, request: Request | None) -> None:
        self.request = request
        self.timezone = timezone.get_current_timezone()
        self._in_utc = self.timezone in _UTC_ZONES
        self._share_url_parts: tuple[str, str] | None = None
        self._image_url = AbsoluteURLs(_IMAGE.storage, request)
        self._thumbnail_url = AbsoluteURLs(_THUMBNAIL.storage, request)

    def datetime(self, value: datetime | None) -> str | None:
        """DRF's DateTimeField representation (ISO 8601 in the current time zone)."""
        if not value or not timezone.is_aware(value):
            return _DATETIME_FIELD.to_representation(value)
        if self._in_utc and value.utcoffset() == _NO_OFFSET:
            # Already in the current zone: what astimezone would give, without the copy.
            return f"{value.isoformat()[:-6]}Z"
        text = value.astimezone(self.timezone).isoformat()
        return f"{text[:-6]}Z" if text.endswith("+00:00") else text

    def share_url(self, share_slug: str) -> str | None:
        """HyperlinkedIdentityField's URL of the public page."""
        if not share_slug:
            return None
        if self.request is None or not SHARE_SLUG_SHAPE.fullmatch(share_slug):
            return self._reverse_share_url(share_slug)
        if self._share_url_parts is None:
            path = _public_page_path(self._SLUG_PLACEHOLDER, get_urlconf(), get_script_prefix())
            url = self.request.build_absolute_uri(path)
            head, _, tail = url.rpartition(self._SLUG_PLACEHOLDER)
            self._share_url_parts = (head, tail)
        head, tail = self._share_url_parts
        return f"{head}{share_slug}{tail}"

    def _reverse_share_url(self, share_slug: str) -> str:
        if self.request is None:  # as HyperlinkedIdentityField refuses it
            raise AssertionError("share_url needs the request in the serializer context")
        path = reverse("public-page", kwargs={"share_slug": share_slug})
        return self.request.build_absolute_uri(path)

    def row(self, row: Mapping[str, Any], owner_username: str) -> dict[str, Any]:
        """The list's item for a row of `resume_list` (its columns: no content)."""
        created_at = self.datetime_text(row[_CREATED_AT_TEXT])
        updated_at = self.datetime_text(row[_UPDATED_AT_TEXT])
        image, thumbnail = row["image"], row["image_thumbnail"]
        return self._item(row, owner_username, image, thumbnail, created_at, updated_at)

    def datetime_text(self, text: str | None) -> str | None:
        """datetime() of a datetime the database wrote as text (api.expressions.DateTimeText,
        the default zone's); the same text unless another time zone is active."""
        if text is None or self._in_utc:
            return text
        return self.datetime(datetime.fromisoformat(text))

    def resume(
        self, resume: Resume, content_changes: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        """ResumeSerializer's representation of a résumé, content included, and the changes
        made to content a write sent (ContentChangesField: absent when none was sent)."""
        values = {name: getattr(resume, name) for name in _VALUES}
        values["content"] = resume.content
        values["content_changes"] = content_changes
        created_at, updated_at = self.datetime(resume.created_at), self.datetime(resume.updated_at)
        owner_username = resume.owner.username
        image, thumbnail = resume.image, resume.image_thumbnail
        return self._item(values, owner_username, image, thumbnail, created_at, updated_at)

    def _item(
        self,
        values: Mapping[str, Any],
        owner_username: str,
        image: Any,
        thumbnail: Any,
        created_at: str | None,
        updated_at: str | None,
    ) -> dict[str, Any]:
        # One dict display, in the serializer's key order: a page builds a hundred.
        slug = values["share_slug"]
        item = {
            "id": values["id"],
            "owner": owner_username,
            "title": values["title"],
            "summary": values["summary"],
            "image": self._image_url(str(image or "")),
            "image_thumbnail": self._thumbnail_url(str(thumbnail or "")),
            "is_public": values["is_public"],
            "theme": values["theme"],
            "allow_search_indexing": values["allow_search_indexing"],
            "share_slug": slug,
            "share_url": self.share_url(slug),
            "created_at": created_at,
            "updated_at": updated_at,
        }
        if "content" not in values:
            return item
        head = {key: item.pop(key) for key in _BEFORE_CONTENT}
        head["content"] = _CONTENT.to_representation(values["content"])
        if values["content_changes"] is not None:
            head["content_changes"] = values["content_changes"]
        return head | item


@lru_cache(maxsize=16)
def _public_page_path(share_slug: str, urlconf: str | None, script_prefix: str) -> str:
    """The public page's path: reversed once per URLconf and script prefix (reverse() took
    a twentieth of a small list request's CPU)."""
    return reverse("public-page", kwargs={"share_slug": share_slug}, urlconf=urlconf)


class ResumeSerializer(ResumeFieldsSerializer):
    """A résumé as the API reads and writes it; its representation is ResumeRepresentation's."""

    def to_representation(self, instance: Resume) -> dict[str, Any]:
        representation = ResumeRepresentation(self.context.get("request"))
        return representation.resume(instance, self.context.get("content_changes"))


class ResumeRowsSerializer(serializers.ListSerializer):
    """A page of list rows, with one ResumeRepresentation for them all."""

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        representation = ResumeRepresentation(self.context.get("request"))
        owner = self.context["owner"]
        return [representation.row(row, owner) for row in data]


class ResumeListItemSerializer(ResumeFieldsSerializer):
    """A résumé in the list: everything but its content, which can be large (read it with
    GET /api/resumes/{id}/). It represents rows of `resumes.selectors.resume_list` (values,
    not model instances) of one owner's résumés, whose username is `context["owner"]`."""

    class Meta(ResumeFieldsSerializer.Meta):
        fields = [
            name
            for name in ResumeFieldsSerializer.Meta.fields
            if name not in {"content", "content_changes"}
        ]
        ref_name = "ResumeListItem"
        list_serializer_class = ResumeRowsSerializer

    def to_representation(self, instance: Mapping[str, Any]) -> dict[str, Any]:
        representation = ResumeRepresentation(self.context.get("request"))
        return representation.row(instance, self.context["owner"])


class ResumeListQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Words that must all appear in the title or summary.",
    )
    ordering = serializers.ChoiceField(
        required=False,
        choices=RESUME_ORDERINGS,
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


class PublicResumeSerializer(ResumeFieldsSerializer):
    """What anyone with the share link sees: nothing about the owner's account, and image
    links that stop working as soon as the link does."""

    image = PublicImageLinkField("public-resume-image")
    image_thumbnail = PublicImageLinkField("public-resume-image-thumbnail")

    class Meta(ResumeFieldsSerializer.Meta):
        ref_name = "PublicResume"
        fields = ["title", "summary", "image", "image_thumbnail", "content", "updated_at"]

    def to_representation(self, instance: Resume) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["content"] = export_document(data["content"], data["image"])
        return data


class ResumeExportSerializer(ResumeFieldsSerializer):
    """The résumé as a JSON Resume document, basics.image being the résumé's image URL."""

    class Meta(ResumeFieldsSerializer.Meta):
        fields = ["image", "content"]

    def to_representation(self, instance: Resume) -> dict[str, Any]:
        data = super().to_representation(instance)
        return export_document(data["content"], data["image"])


class ShareLinkSerializer(ResumeFieldsSerializer):
    class Meta(ResumeFieldsSerializer.Meta):
        ref_name = "ShareLink"
        fields = ["is_public", "share_slug", "share_url"]
