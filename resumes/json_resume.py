"""Résumé content in the JSON Resume format, schema v1.0.0 (https://jsonresume.org/schema).

`JSONResumeSerializer` validates a whole document; each section item has its own serializer.
It follows the schema: the root accepts only the schema's keys, every object below the root
accepts extra keys (kept and returned unchanged), strings must be strings, dates are
YYYY, YYYY-MM or YYYY-MM-DD except `certificates[].date` (a full date), URLs and e-mails
are checked. It is stricter where the schema is loose: sizes are bounded (below), dates
must exist on the calendar, URLs must be absolute http(s)/ftp(s) URLs in RFC 3986 ASCII.

Errors name the path of each bad value in the document, flat: `{"work[2].startDate":
["..."]}`; problems with the document as a whole are under `non_field_errors`.

`basics.image` is never stored and never fetched: the résumé's own `image` is the photo,
and `export_document` puts its URL there.
"""

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

import orjson
from django.core.validators import RegexValidator
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings
from rest_framework.utils import html

from api.parsers import json_path, number_problem, text_problem

# --- Limits --------------------------------------------------------------------
# Every bound on a document, in one place. The schema itself sets none.

MAX_DOCUMENT_BYTES = 256 * 1024  # compact UTF-8 JSON
MAX_DEPTH = 10  # nested objects and arrays, the document itself being 1
MAX_VALUES = 10_000  # strings, numbers, objects and lists in a document, itself included
MAX_ITEMS = 100  # entries in a section (work, education, ...) and in basics.profiles
MAX_STRINGS = 50  # highlights, keywords, courses, roles
MAX_SHORT_TEXT = 200  # names, labels, positions, keywords, ...
MAX_LONG_TEXT = 5_000  # summaries, descriptions, references, highlights, addresses
MAX_URL_LENGTH = 2_000

SCHEMA_VERSION = "1.0.0"

# --- Fields --------------------------------------------------------------------


class StrictCharField(serializers.CharField):
    """A JSON string, kept exactly as sent: no coercion of numbers, no trimming."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", MAX_SHORT_TEXT)
        kwargs["trim_whitespace"] = False
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ShortText(StrictCharField):
    """A one-line value: a name, a label, a keyword."""


class LongText(StrictCharField):
    """Prose: a summary, a description, a highlight."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=MAX_LONG_TEXT, **kwargs)


class StrictEmailField(serializers.EmailField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=MAX_SHORT_TEXT, trim_whitespace=False, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


# RFC 3986 characters only; `%` must start a percent-encoded octet. (fullmatch: `$` alone
# would let a trailing newline through.)
_RFC3986_URI = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")


class StrictURLField(serializers.URLField):
    """An absolute http(s) or ftp(s) URL, ASCII as RFC 3986 (the schema's `uri` format)."""

    default_error_messages = {
        "invalid": "Enter a valid URL: absolute (http, https, ftp, ftps), "
        "with any other character percent-encoded (RFC 3986)."
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=MAX_URL_LENGTH, trim_whitespace=False, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str) or not _RFC3986_URI.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class PartialDateField(StrictCharField):
    """The schema's `iso8601` type: YYYY, YYYY-MM or YYYY-MM-DD, each a real date."""

    # The schema's own pattern (years 1000-2999), which the calendar check then tightens.
    pattern = r"^[1-2][0-9]{3}(-[0-1][0-9](-[0-3][0-9])?)?$"
    message = "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (ISO 8601)."

    def __init__(self, **kwargs: Any) -> None:
        # The validator only puts the pattern into the OpenAPI description: the same check
        # runs first in to_internal_value, with the calendar check after it.
        validator = RegexValidator(self.pattern, message=self.message)
        super().__init__(max_length=10, allow_blank=False, validators=[validator], **kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if not re.fullmatch(self.pattern, value):
            raise serializers.ValidationError(self.message)
        parts = [int(part) for part in value.split("-")]
        try:
            date(*parts, *[1] * (3 - len(parts)))
        except ValueError as exc:
            raise serializers.ValidationError(self.message) from exc
        return value


class FullDateField(PartialDateField):
    """A complete calendar date, YYYY-MM-DD (the schema's `date` format)."""

    pattern = r"^[1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]$"
    message = "Enter a full date as YYYY-MM-DD."


class StringList(serializers.ListField):
    """A list of at most MAX_STRINGS strings, each one `child`."""

    def __init__(self, child: StrictCharField | None = None, **kwargs: Any) -> None:
        super().__init__(
            child=child or ShortText(), required=False, max_length=MAX_STRINGS, **kwargs
        )


# --- Section serializers -------------------------------------------------------


class OpenObjectSerializer(serializers.Serializer):
    """An object where JSON Resume allows keys beyond its own: those are kept as sent."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # drf-yasg names each definition after Meta.ref_name: JSONResume<class name>.
        super().__init_subclass__(**kwargs)
        name = f"JSONResume{cls.__name__.removesuffix('Serializer')}"
        cls.Meta = type("Meta", (), {"ref_name": name})

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        validated = super().to_internal_value(data)
        extra = {key: value for key, value in data.items() if key not in self.fields}
        return {**validated, **extra}


def items(serializer: serializers.Serializer) -> serializers.ListSerializer:
    """A section: a list of `serializer` objects, at most MAX_ITEMS."""
    return serializers.ListSerializer(child=serializer, required=False, max_length=MAX_ITEMS)


class LocationSerializer(OpenObjectSerializer):
    address = LongText(help_text="Lines separated by \\n.")
    postalCode = ShortText()
    city = ShortText()
    countryCode = ShortText(help_text="ISO-3166-1 alpha-2, e.g. US.")
    region = ShortText(help_text="State, province, ...")


class ProfileSerializer(OpenObjectSerializer):
    network = ShortText(help_text="e.g. Twitter")
    username = ShortText()
    url = StrictURLField()


class BasicsSerializer(OpenObjectSerializer):
    name = ShortText()
    label = ShortText(help_text="e.g. Web Developer")
    image = StrictCharField(
        max_length=MAX_URL_LENGTH,
        help_text="In exports: the résumé's image URL. Ignored on input (never fetched): "
        "upload the photo as the résumé's image.",
    )
    email = StrictEmailField()
    phone = ShortText()
    url = StrictURLField()
    summary = LongText()
    location = LocationSerializer(required=False)
    profiles = items(ProfileSerializer())

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        validated = super().to_internal_value(data)
        validated.pop("image", None)
        return validated


class WorkSerializer(OpenObjectSerializer):
    name = ShortText(help_text="e.g. Facebook")
    location = ShortText(help_text="e.g. Menlo Park, CA")
    description = LongText(help_text="e.g. Social Media Company")
    position = ShortText()
    url = StrictURLField()
    startDate = PartialDateField()
    endDate = PartialDateField()
    summary = LongText()
    highlights = StringList(LongText())


class VolunteerSerializer(OpenObjectSerializer):
    organization = ShortText()
    position = ShortText()
    url = StrictURLField()
    startDate = PartialDateField()
    endDate = PartialDateField()
    summary = LongText()
    highlights = StringList(LongText())


class EducationSerializer(OpenObjectSerializer):
    institution = ShortText()
    url = StrictURLField()
    area = ShortText(help_text="e.g. Arts")
    studyType = ShortText(help_text="e.g. Bachelor")
    startDate = PartialDateField()
    endDate = PartialDateField()
    score = ShortText(help_text="e.g. 3.67/4.0")
    courses = StringList()


class AwardSerializer(OpenObjectSerializer):
    title = ShortText()
    date = PartialDateField()
    awarder = ShortText()
    summary = LongText()


class CertificateSerializer(OpenObjectSerializer):
    name = ShortText()
    date = FullDateField()
    url = StrictURLField()
    issuer = ShortText()


class PublicationSerializer(OpenObjectSerializer):
    name = ShortText()
    publisher = ShortText()
    releaseDate = PartialDateField()
    url = StrictURLField()
    summary = LongText()


class SkillSerializer(OpenObjectSerializer):
    name = ShortText(help_text="e.g. Web Development")
    level = ShortText(help_text="e.g. Master")
    keywords = StringList()


class LanguageSerializer(OpenObjectSerializer):
    language = ShortText(help_text="e.g. English")
    fluency = ShortText(help_text="e.g. Fluent")


class InterestSerializer(OpenObjectSerializer):
    name = ShortText()
    keywords = StringList()


class ReferenceSerializer(OpenObjectSerializer):
    name = ShortText()
    reference = LongText()


class ProjectSerializer(OpenObjectSerializer):
    name = ShortText()
    description = LongText()
    highlights = StringList(LongText())
    keywords = StringList()
    startDate = PartialDateField()
    endDate = PartialDateField()
    url = StrictURLField()
    roles = StringList()
    entity = ShortText(help_text="e.g. greenpeace")
    type = ShortText(help_text="e.g. talk, application, conference")


class MetaSerializer(OpenObjectSerializer):
    canonical = StrictURLField()
    version = ShortText(help_text="e.g. v1.0.0")
    lastModified = ShortText(help_text="e.g. 2017-12-24T15:53:00")


# --- The document ----------------------------------------------------------------


def parse_json_text(text: str) -> Any:
    """A JSON value from text, read as JSON bodies are (api.parsers); invalid JSON raises
    a ValidationError naming why."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise serializers.ValidationError(f"Not valid JSON: {exc}") from exc


class JSONResumeFileSerializer(serializers.Serializer):
    """An uploaded .json file, read into the JSON value it holds (validated separately)."""

    file = serializers.FileField(help_text="A JSON Resume document: a UTF-8 .json file.")

    def validate_file(self, upload: Any) -> Any:
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise serializers.ValidationError("The file is not UTF-8 text.") from exc
        return parse_json_text(text)


def _storage_problems(document: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(path, message) for values that no database or response can hold, that nest too
    deep, or that exceed the bounds on keys and values the schema does not name (its own
    fields have their own bounds).

    Iterative, so that no document can exhaust the stack.
    """
    stack: list[tuple[str, Any, int]] = [("", document, 1)]
    values = 0
    while stack:
        path, value, depth = stack.pop()
        values += 1
        if values > MAX_VALUES:
            yield "", f"Too many values: at most {MAX_VALUES} strings, numbers, objects and lists."
            return
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                yield path, f"Nested too deep: at most {MAX_DEPTH} levels of objects and arrays."
                continue
            children = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in children:
                if isinstance(key, str):
                    problem = text_problem(key)
                    if problem:
                        yield path, f"A key: {problem}"
                        continue
                    if len(key) > MAX_SHORT_TEXT:
                        yield path, f"A key is longer than {MAX_SHORT_TEXT} characters."
                        continue
                stack.append((json_path(path, key), child, depth + 1))
        elif isinstance(value, str):
            problem = text_problem(value)
            if problem:
                yield path, problem
            elif len(value) > MAX_LONG_TEXT:
                yield path, f"Ensure this field has no more than {MAX_LONG_TEXT} characters."
        else:
            problem = number_problem(value)
            if problem:
                yield path, problem


def error_paths(detail: Any, path: str = "") -> dict[str, list[str]]:
    """DRF's nested errors as a flat {path: messages}, e.g. {"work[2].startDate": [...]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            child = path if key == api_settings.NON_FIELD_ERRORS_KEY else json_path(path, key)
            for child_path, messages in error_paths(value, child).items():
                flat.setdefault(child_path, []).extend(messages)
    elif isinstance(detail, list) and all(isinstance(item, str) for item in detail):
        if detail:
            flat[path or api_settings.NON_FIELD_ERRORS_KEY] = list(detail)
    else:
        for index, item in enumerate(detail):
            flat.update(error_paths(item, json_path(path, index)))
    return flat


class FormJSONText(str):
    """A form field's text, to be read as JSON (in a JSON body a string is just a string)."""


# A valid document, for the API documentation: Swagger UI prefills request bodies with it
# and ReDoc shows it, instead of samples made from the field types ("$schema": "string").
EXAMPLE_DOCUMENT = {
    "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
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
    """A JSON Resume 1.0.0 document. In multipart forms, a JSON string."""

    basics = BasicsSerializer(required=False)
    work = items(WorkSerializer())
    volunteer = items(VolunteerSerializer())
    education = items(EducationSerializer())
    awards = items(AwardSerializer())
    certificates = items(CertificateSerializer())
    publications = items(PublicationSerializer())
    skills = items(SkillSerializer())
    languages = items(LanguageSerializer())
    interests = items(InterestSerializer())
    references = items(ReferenceSerializer())
    projects = items(ProjectSerializer())
    meta = MetaSerializer(required=False)

    class Meta:
        ref_name = "JSONResume"
        swagger_schema_fields = {"example": EXAMPLE_DOCUMENT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # One description wherever the document appears (drf-yasg shares the definition).
        kwargs.setdefault(
            "help_text",
            "A JSON Resume 1.0.0 document (in multipart forms: the document as a JSON string). "
            "Errors name each bad value's path, e.g. work[2].startDate.",
        )
        super().__init__(*args, **kwargs)

    def get_fields(self) -> dict[str, serializers.Field]:
        # `$schema` is no Python name, so it cannot be declared like the others.
        return {
            "$schema": StrictURLField(help_text="URL of the schema this document follows."),
            **super().get_fields(),
        }

    def get_value(self, dictionary: Any) -> Any:
        # In a multipart form the document is one field holding JSON text.
        if html.is_html_input(dictionary):
            text = dictionary.get(self.field_name, empty)
            return empty if text is empty else FormJSONText(text)
        return super().get_value(dictionary)

    def run_validation(self, data: Any = empty) -> Any:
        try:
            if isinstance(data, FormJSONText):
                data = parse_json_text(str(data))  # orjson reads exact str only
            if isinstance(data, Mapping):
                self._check_storable(data)
            return super().run_validation(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(error_paths(exc.detail)) from exc

    def _check_storable(self, document: Mapping[str, Any]) -> None:
        problems: dict[str, list[str]] = {}
        for path, message in _storage_problems(document):
            problems.setdefault(path or api_settings.NON_FIELD_ERRORS_KEY, []).append(message)
        if problems:
            raise serializers.ValidationError(problems)
        size = len(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode())
        if size > MAX_DOCUMENT_BYTES:
            raise serializers.ValidationError(
                f"Document too large: {size} bytes as compact JSON, "
                f"at most {MAX_DOCUMENT_BYTES} allowed."
            )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # DRF's "Expected a dictionary" error
        # Unlike every object inside it, the document itself admits only the schema's keys.
        allowed = ", ".join(self.fields)
        unknown = {
            key: [f"Unknown key. JSON Resume {SCHEMA_VERSION} allows only {allowed}."]
            for key in data
            if key not in self.fields
        }
        try:
            validated = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({**exc.detail, **unknown}) from exc
        if unknown:
            raise serializers.ValidationError(unknown)
        return validated

    def to_representation(self, instance: Any) -> Any:
        # Stored content was validated on the way in; it is returned exactly as stored.
        return instance


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
