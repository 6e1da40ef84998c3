"""Résumé content in the JSON Resume format (https://jsonresume.org/schema), as the API
takes and gives it.

`JSONResumeSerializer` reads a document leniently (resumes.json_resume_reading), checks it
against the vendored schema and the project's bounds (resumes.json_resume_schema), and
keeps the changes it made for the answer. Errors name the path of each bad value in the
document, flat: `{"work[2].startDate": ["..."]}`; problems with the document as a whole are
under `non_field_errors`.

`basics.image` is never stored and never fetched: the résumé's own `image` is the photo,
and `export_document` puts its URL there.
"""

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.fields import SkipField, empty
from rest_framework.settings import api_settings
from rest_framework.utils import html

from api.openapi import AnyJSONField
from api.parsers import json_from_text
from resumes.json_resume_reading import DocumentProblems, read_document
from resumes.json_resume_schema import SCHEMA_URL, SCHEMA_VERSION, openapi_schema


def parse_json_text(text: str) -> Any:
    """A JSON value from text, read as JSON bodies are (api.parsers); invalid JSON raises
    a ValidationError naming why."""
    try:
        return json_from_text(text)
    except ValueError as exc:
        raise serializers.ValidationError(f"Not valid JSON: {exc}") from exc


class JSONResumeFileSerializer(serializers.Serializer):
    """An uploaded .json file, read into the JSON value it holds (validated separately)."""

    file = serializers.FileField(help_text="A JSON Resume document: a UTF-8 .json file.")

    def validate_file(self, upload: Any) -> Any:
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise serializers.ValidationError("The file is not UTF-8 text.") from exc
        return parse_json_text(text)


class FormJSONText(str):
    """A form field's text, to be read as JSON (in a JSON body a string is just a string)."""


# A valid document, for the API documentation: Swagger UI prefills request bodies with it
# and ReDoc shows it, instead of samples made from the field types ("$schema": "string").
EXAMPLE_DOCUMENT = {
    "$schema": SCHEMA_URL,
    "basics": {
        "name": "Ada Lovelace",
        "label": "Analyst",
        "email": "ada@example.com",
        "url": "https://example.com/ada",
        "summary": "Mathematician; wrote the first published algorithm meant for a machine.",
        "location": {"city": "London", "countryCode": "GB"},
        "profiles": [
            {"network": "Mastodon", "username": "ada", "url": "https://mastodon.example/@ada"}
        ],
    },
    "work": [
        {
            "name": "Analytical Engine",
            "position": "Analyst",
            "url": "https://example.com/analytical-engine",
            "startDate": "1842-10",
            "endDate": "1843-09",
            "summary": "Translated Menabrea's paper on the engine and added notes thrice as long.",
            "highlights": ["Note G: a method for computing Bernoulli numbers on the engine"],
        }
    ],
    "education": [{"institution": "Private tuition", "area": "Mathematics", "startDate": "1832"}],
    "skills": [{"name": "Mathematics", "level": "Master", "keywords": ["analysis", "algorithms"]}],
    "languages": [{"language": "English", "fluency": "Native speaker"}],
}


class JSONResumeSerializer(serializers.Serializer):
    """A JSON Resume document, read leniently; in multipart forms, a JSON string. After
    validation, `changes` lists what the reading changed (resumes.json_resume_reading)."""

    class Meta:
        ref_name = "JSONResume"
        swagger_schema_fields = {**openapi_schema(), "example": EXAMPLE_DOCUMENT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # One description wherever the document appears (drf-yasg shares the definition).
        kwargs.setdefault(
            "help_text",
            f"A JSON Resume document, schema {SCHEMA_VERSION} (in multipart forms: the "
            "document as a JSON string). Read leniently: what was changed on the way in is "
            "listed in content_changes. Errors name each bad value's path, e.g. "
            "work[2].startDate.",
        )
        super().__init__(*args, **kwargs)
        self.changes: list[dict[str, Any]] = []

    def get_value(self, dictionary: Any) -> Any:
        # In a multipart form the document is one field holding JSON text.
        if html.is_html_input(dictionary):
            text = dictionary.get(self.field_name, empty)
            return empty if text is empty else FormJSONText(text)
        return super().get_value(dictionary)

    def run_validation(self, data: Any = empty) -> Any:
        non_field = api_settings.NON_FIELD_ERRORS_KEY
        try:
            is_empty, data = self.validate_empty_values(data)
            if is_empty:
                return data
            if isinstance(data, FormJSONText):
                data = parse_json_text(str(data))  # orjson reads exact str only
        except serializers.ValidationError as exc:
            # Like any problem of the document as a whole (not sent as JSON, null).
            raise serializers.ValidationError({non_field: exc.detail}) from exc
        try:
            read = read_document(data)
        except DocumentProblems as exc:
            errors = {path or non_field: messages for path, messages in exc.problems.items()}
            raise serializers.ValidationError(errors) from exc
        self.changes = read.changes
        return read.document

    def to_representation(self, instance: Any) -> Any:
        # Stored content was validated on the way in; it is returned exactly as stored.
        return instance


class ContentChangeSerializer(serializers.Serializer):
    """One change made to a document on the way in."""

    # A key of "" at the root has the path "" (keys of any text are the sender's own).
    path = serializers.CharField(
        allow_blank=True, help_text="Where, in the document as sent: work[0].endDate."
    )
    action = serializers.ChoiceField(
        ["removed", "rewritten", "renamed", "moved", "kept"],
        help_text="removed: left out of the stored document; rewritten: stored in another "
        "form; renamed, moved: stored under another key (`to`); kept: stored as sent, "
        "though not part of JSON Resume.",
    )
    reason = serializers.CharField()

    class Meta:
        ref_name = "ContentChange"

    def get_fields(self) -> dict[str, serializers.Field]:
        # `from` is no Python name, so it cannot be declared like the others.
        return {
            **super().get_fields(),
            "from": AnyJSONField(
                required=False, help_text="The value as sent (removed, rewritten) or its key."
            ),
            "to": AnyJSONField(
                required=False,
                help_text="The value as stored (rewritten), or the key's new path (renamed, "
                "moved), written like `path`.",
            ),
        }


class ContentChangesField(serializers.ListField):
    """The changes made to the content a write sent (in the serializer's context as
    `content_changes`); absent from answers to requests that sent no content."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=ContentChangeSerializer(), read_only=True, **kwargs)

    def get_attribute(self, instance: Any) -> Any:
        changes = self.context.get("content_changes")
        if changes is None:
            raise SkipField
        return changes


def export_document(content: Mapping[str, Any], image_url: str | None) -> dict[str, Any]:
    """The stored content as a JSON Resume document, with the résumé's image as basics.image."""
    document = dict(content)
    if image_url:
        document["basics"] = {**document.get("basics", {}), "image": image_url}
    return document


def title_for_document(document: Mapping[str, Any], default: str, max_length: int) -> str:
    """A résumé title from basics.name and basics.label, e.g. "Ada Lovelace – Analyst"."""
    basics = document.get("basics", {})
    parts = [basics.get(key, "").strip() for key in ("name", "label")]
    title = " – ".join(part for part in parts if part) or default
    return title[:max_length]
