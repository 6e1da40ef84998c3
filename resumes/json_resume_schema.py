"""The JSON Resume schema the API follows: the official file (vendored in resumes/schemas/,
unchanged) plus the project's own bounds, checked by jsonschema.

`document_errors` checks a document against it and names every bad value by its path. The
schema sets no bounds; the bounds below are added to a copy of it when it is loaded. Formats
are checked as the tooling reads them and a little stricter: an e-mail must be an address, a
date must exist on the calendar, a URL is an RFC 3986 URI reference (any scheme, ASCII only).
"""

import copy
import hashlib
import json
import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email

SCHEMA_VERSION = "1.3.1"  # @jsonresume/schema
SCHEMA_FILE = Path(__file__).parent / "schemas" / f"json-resume-{SCHEMA_VERSION}.json"
SCHEMA_SHA256 = "a07eedd3d86ac5bb61d72e136d788269e35baf42c35391e15d0be39b3dc5a4bd"
SCHEMA_URL = (
    "https://raw.githubusercontent.com/jsonresume/jsonresume.org/"
    "8d9134b92bd885f0ffdbb9eabaf42540bf659c1d/packages/schema/schema.json"
)

# --- Bounds ----------------------------------------------------------------------
# Every bound on a document, in one place. The schema itself sets none.

MAX_DOCUMENT_BYTES = 256 * 1024  # compact UTF-8 JSON
MAX_DEPTH = 10  # nested objects and arrays, the document itself being 1
MAX_VALUES = 10_000  # strings, numbers, objects and lists in a document, itself included
MAX_ITEMS = 100  # entries in a section (work, education, ...) and in basics.profiles
MAX_STRINGS = 50  # highlights, keywords, courses, roles
MAX_SHORT_TEXT = 200  # names, labels, positions, keywords, ...
MAX_LONG_TEXT = 5_000  # summaries, descriptions, references, highlights, addresses
MAX_URL_LENGTH = 2_000

# Prose: the schema's fields that hold more than a line.
LONG_TEXT_FIELDS = frozenset({"summary", "description", "reference", "address", "highlights"})

# --- Formats ---------------------------------------------------------------------

DATE_MESSAGE = "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (ISO 8601) that exists."
EMAIL_MESSAGE = "Enter a valid email address."
URL_MESSAGE = (
    "Enter a URL (RFC 3986): with a scheme, such as https://example.com/me, or a host, "
    "such as example.com/me; spaces and other characters percent-encoded."
)

# RFC 3986 characters only; `%` must start a percent-encoded octet.
_RFC3986_CHARACTERS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


# Brackets belong only around an IP literal host: scheme://[v6 or vFuture]:port/...
_IP_LITERAL_URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*://(?:[^/?#@\[\]]*@)?\[[0-9A-Za-z:.\-_~!$&'()*+,;=]+\]"
    r"(?::[0-9]*)?(?:[/?#][^\[\]]*)?"
)


def is_uri_reference(value: Any) -> bool:
    """An RFC 3986 URI reference: an absolute URI in any scheme, or a relative reference
    (`@someone`), in ASCII. What JSON Resume's `uri` format admits in the tools people use.
    (Like every format, it says nothing of values that are not text.)"""
    if not isinstance(value, str):
        return True
    if not _RFC3986_CHARACTERS.fullmatch(value):
        return False
    if ("[" in value or "]" in value) and not _IP_LITERAL_URI.fullmatch(value):
        return False
    # A relative reference's first segment has no colon (it would read as a scheme).
    first_segment = re.split(r"[/?#]", value, maxsplit=1)[0]
    return ":" not in first_segment or bool(_SCHEME.match(value))


def is_partial_date(value: Any) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real date, years 1000-2999 (the schema's
    pattern, then the calendar)."""
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"[1-2][0-9]{3}(-[0-1][0-9](-[0-3][0-9])?)?", value):
        return False
    parts = [int(part) for part in value.split("-")]
    try:
        date(*parts, *[1] * (3 - len(parts)))
    except ValueError:
        return False
    return True


def is_email(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    try:
        validate_email(value)
    except DjangoValidationError:
        return False
    return True


FORMAT_CHECKER = jsonschema.FormatChecker(formats=())
FORMAT_CHECKER.checks("uri")(is_uri_reference)
FORMAT_CHECKER.checks("email")(is_email)
FORMAT_CHECKER.checks("partial-date")(is_partial_date)

# --- The schema --------------------------------------------------------------------


@cache
def official_schema() -> dict[str, Any]:
    """The vendored schema file, as published."""
    data = SCHEMA_FILE.read_bytes()
    if hashlib.sha256(data).hexdigest() != SCHEMA_SHA256:
        raise RuntimeError(f"{SCHEMA_FILE} is not the vendored schema {SCHEMA_VERSION}.")
    return json.loads(data)


def _bound(node: dict[str, Any], name: str) -> None:
    """Add the project's bounds to `node`, the schema of a value under the key `name`."""
    if node.get("$ref") == "#/definitions/iso8601":
        return
    kind = node.get("type")
    if kind == "string":
        if node.get("format") == "uri":
            node["maxLength"] = MAX_URL_LENGTH
        else:
            node["maxLength"] = MAX_LONG_TEXT if name in LONG_TEXT_FIELDS else MAX_SHORT_TEXT
    elif kind == "array":
        items = node.get("items", {})
        node["maxItems"] = MAX_ITEMS if items.get("type") == "object" else MAX_STRINGS
        _bound(items, name)
    elif kind == "object":
        for key, child in node.get("properties", {}).items():
            _bound(child, key)


@cache
def bounded_schema() -> dict[str, Any]:
    """The official schema with the project's bounds and the calendar check on dates."""
    schema = copy.deepcopy(official_schema())
    for key, child in schema["properties"].items():
        _bound(child, key)
    schema["definitions"]["iso8601"]["format"] = "partial-date"
    return schema


@cache
def validator() -> jsonschema.protocols.Validator:
    schema = bounded_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=FORMAT_CHECKER)


# --- Errors ------------------------------------------------------------------------

_TYPE_NAMES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "number": "a number",
    "integer": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _json_type(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    return "null" if value is None else "number"


def _message(error: jsonschema.ValidationError) -> str:
    """A person's words for one schema error (jsonschema's own repeat the whole value)."""
    if error.validator == "type":
        expected = _TYPE_NAMES.get(str(error.validator_value), str(error.validator_value))
        return f"Expected {expected}, not {_TYPE_NAMES[_json_type(error.instance)]}."
    if error.validator == "maxLength":
        return f"Ensure this field has no more than {error.validator_value} characters."
    if error.validator == "maxItems":
        return f"Ensure this field has no more than {error.validator_value} elements."
    if error.validator == "pattern" or error.validator_value == "partial-date":
        return DATE_MESSAGE
    if error.validator_value == "email":
        return EMAIL_MESSAGE
    if error.validator_value == "uri":
        return URL_MESSAGE
    return error.message


def document_errors(document: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(place, message) for every value of `document` the schema and bounds refuse, once
    each; a place is the keys and indexes leading to the value."""
    seen: set[tuple[tuple[str | int, ...], str]] = set()
    for error in validator().iter_errors(document):
        found = (tuple(error.absolute_path), _message(error))
        if found not in seen:
            seen.add(found)
            yield found


def _openapi_node(node: Any, iso8601: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_openapi_node(item, iso8601) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("$ref") == "#/definitions/iso8601":
        return dict(iso8601)
    return {key: _openapi_node(child, iso8601) for key, child in node.items()}


@cache
def openapi_schema() -> dict[str, Any]:
    """The bounded schema as an OpenAPI 2.0 schema object: dates inline (the document's own
    `definitions` mean nothing in an API description), draft-07's keywords dropped."""
    schema = bounded_schema()
    iso8601 = official_schema()["definitions"]["iso8601"]
    return {
        "type": "object",
        "additionalProperties": True,
        "properties": _openapi_node(schema["properties"], iso8601),
    }
