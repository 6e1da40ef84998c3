"""resumes.json_resume_schema: the vendored official schema, the project's bounds on a copy
of it, the errors it names, and its OpenAPI form."""

import hashlib
from typing import Any

import jsonschema
import pytest

from resumes import json_resume_schema
from resumes.json_resume_schema import (
    DATE_MESSAGE,
    MAX_ITEMS,
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
    MAX_STRINGS,
    MAX_URL_LENGTH,
    SCHEMA_FILE,
    SCHEMA_SHA256,
    URL_MESSAGE,
    bounded_schema,
    document_errors,
    official_schema,
    openapi_schema,
)
from tests.support.json_resume import CORPUS

CORPUS_COPY = CORPUS / "schemas" / "jsonresume__jsonresume.org__packages_schema_schema.json"


def nodes(node: Any) -> list[dict[str, Any]]:
    """Every object in a JSON value, itself included."""
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def test_the_vendored_schema_is_the_published_file():
    data = SCHEMA_FILE.read_bytes()

    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256
    assert data == CORPUS_COPY.read_bytes()


def test_a_changed_schema_file_is_refused(tmp_path, monkeypatch):
    changed = tmp_path / "schema.json"
    changed.write_bytes(SCHEMA_FILE.read_bytes().replace(b'"url"', b'"link"', 1))
    monkeypatch.setattr(json_resume_schema, "SCHEMA_FILE", changed)
    official_schema.cache_clear()
    try:
        with pytest.raises(RuntimeError, match=r"is not the vendored schema 1\.3\.1"):
            official_schema()
    finally:
        official_schema.cache_clear()


def test_the_bounded_schema_is_a_valid_draft_07_schema():
    schema = bounded_schema()

    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft7Validator
    jsonschema.Draft7Validator.check_schema(schema)


def test_the_bounds_go_on_a_copy():
    official = official_schema()

    assert not any("maxLength" in node or "maxItems" in node for node in nodes(official))
    assert "format" not in official["definitions"]["iso8601"]
    assert bounded_schema()["definitions"]["iso8601"]["format"] == "partial-date"


def test_every_string_and_list_the_schema_describes_is_bounded():
    described = [n for n in nodes(bounded_schema()["properties"]) if n.get("type")]

    strings = [n for n in described if n["type"] == "string"]
    lists = [n for n in described if n["type"] == "array"]
    assert len(strings) > 50 and len(lists) > 15  # the walk found the schema's fields
    assert [n for n in strings if "maxLength" not in n] == []
    assert [n for n in lists if "maxItems" not in n] == []


@pytest.mark.parametrize(
    ("path", "bound", "value"),
    [
        (["basics", "name"], "maxLength", MAX_SHORT_TEXT),
        (["basics", "summary"], "maxLength", MAX_LONG_TEXT),
        (["basics", "url"], "maxLength", MAX_URL_LENGTH),
        (["basics", "email"], "maxLength", MAX_SHORT_TEXT),
        (["basics", "location", "address"], "maxLength", MAX_LONG_TEXT),
        (["basics", "location", "city"], "maxLength", MAX_SHORT_TEXT),
        (["basics", "profiles"], "maxItems", MAX_ITEMS),
        (["basics", "profiles", "[]", "url"], "maxLength", MAX_URL_LENGTH),
        (["work"], "maxItems", MAX_ITEMS),
        (["work", "[]", "description"], "maxLength", MAX_LONG_TEXT),
        (["work", "[]", "highlights"], "maxItems", MAX_STRINGS),
        (["work", "[]", "highlights", "[]"], "maxLength", MAX_LONG_TEXT),
        (["skills", "[]", "keywords"], "maxItems", MAX_STRINGS),
        (["skills", "[]", "keywords", "[]"], "maxLength", MAX_SHORT_TEXT),
        (["education", "[]", "courses", "[]"], "maxLength", MAX_SHORT_TEXT),
        (["references", "[]", "reference"], "maxLength", MAX_LONG_TEXT),
        (["meta", "version"], "maxLength", MAX_SHORT_TEXT),
    ],
)
def test_the_bounds_of_a_field(path, bound, value):
    node = bounded_schema()
    for key in path:
        node = node["items"] if key == "[]" else node["properties"][key]

    assert node[bound] == value


def test_dates_have_no_length_bound_of_their_own():
    # A date's pattern bounds it; the $ref node itself gets nothing.
    start = bounded_schema()["properties"]["work"]["items"]["properties"]["startDate"]

    assert start == {"$ref": "#/definitions/iso8601"}


def test_the_openapi_schema_has_no_ref_and_no_draft_07_keywords():
    schema = openapi_schema()
    found = nodes(schema)

    assert [n for n in found if "$ref" in n] == []
    assert [n for n in found if "definitions" in n or "$id" in n] == []
    assert schema["type"] == "object" and schema["additionalProperties"] is True
    start = schema["properties"]["work"]["items"]["properties"]["startDate"]
    assert start == official_schema()["definitions"]["iso8601"]
    assert schema["properties"]["basics"]["properties"]["name"]["maxLength"] == MAX_SHORT_TEXT


def test_a_valid_document_has_no_errors():
    document = {
        "basics": {"name": "Ada", "email": "ada@example.com", "url": "https://example.com"},
        "work": [{"name": "Acme", "startDate": "2020-02", "endDate": "2021-02-28"}],
        "certificates": [{"date": "2020"}],
        "x-anything": [1, {"a": None}],
    }

    assert list(document_errors(document)) == []


def test_document_errors_name_each_place_with_a_persons_words():
    document = {
        "basics": {"name": 5, "summary": "x" * (MAX_LONG_TEXT + 1), "profiles": [{}] * 101},
        "work": "Acme",
        "skills": [{"keywords": ["k", True]}],
        "meta": {"version": None},
    }

    assert sorted(document_errors(document)) == sorted(
        [
            (("basics", "name"), "Expected a string, not a number."),
            (("basics", "summary"), "Ensure this field has no more than 5000 characters."),
            (("basics", "profiles"), "Ensure this field has no more than 100 elements."),
            (("work",), "Expected a list, not a string."),
            (("skills", 0, "keywords", 1), "Expected a string, not true or false."),
            (("meta", "version"), "Expected a string, not null."),
        ]
    )


def test_a_date_failing_the_pattern_and_the_calendar_is_named_once():
    errors = list(document_errors({"work": [{"startDate": "July", "endDate": "2021-02-29"}]}))

    assert errors == [
        (("work", 0, "startDate"), DATE_MESSAGE),
        (("work", 0, "endDate"), DATE_MESSAGE),
    ]


def test_one_value_with_two_problems_gets_both_messages():
    errors = list(document_errors({"basics": {"url": "a b" * 1000}}))

    assert sorted(errors) == [
        (("basics", "url"), "Ensure this field has no more than 2000 characters."),
        (("basics", "url"), URL_MESSAGE),
    ]


@pytest.mark.parametrize(
    "document",
    [
        {"basics": {"email": 5}},
        {"basics": {"url": 5}},
        {"work": [{"startDate": 2020}]},
    ],
)
def test_a_number_where_a_formatted_string_belongs_is_a_type_error(document):
    errors = list(document_errors(document))

    assert [message for _, message in errors] == ["Expected a string, not a number."]
