"""Reading a JSON Resume document as the tooling people use writes it, into a clean one.

JSON Resume's themes and `resume export` render any file, so real documents carry what the
schema does not: `""` or `null` for a value left out, "Present" as an end date, dates and
URLs written freely, names from before schema 1.0, text where the schema has an object.
`read_document` maps each of these to the schema's form, says what it changed, then checks
the result against the schema (resumes.json_resume_schema); what it cannot read stays as
sent, so that the check names it. Nothing is lost without a word: keys the schema does not
have are kept (and listed), a value of a kind the schema has no room for moves to a key of
its own, and `basics.image`, never stored, is listed as removed.

The clean document keeps the sender's keys in the sender's order.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from api.parsers import json_path, number_problem, text_problem
from resumes import json_resume_values as values
from resumes.json_resume_schema import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
    MAX_VALUES,
    SCHEMA_VERSION,
    document_errors,
    official_schema,
)

# The names of schema 0.x (before 2017) that 1.x renamed: {object: {old: new}}. An object is
# named by its place, `[]` standing for any entry of a list.
FORMER_NAMES = {
    "basics": {"website": "url"},
    "work[]": {"company": "name", "website": "url"},
    "volunteer[]": {"website": "url"},
    "education[]": {"gpa": "score"},
    "publications[]": {"website": "url"},
    "projects[]": {"website": "url"},
    "languages[]": {"name": "language", "level": "fluency"},
}
# The key that names an object, which text in its place becomes: "skills": ["Python"].
NAME_KEYS = {
    "basics": "name",
    "basics.location": "address",
    "basics.profiles[]": "network",
    "work[]": "name",
    "volunteer[]": "organization",
    "education[]": "institution",
    "awards[]": "title",
    "certificates[]": "name",
    "publications[]": "name",
    "skills[]": "name",
    "languages[]": "language",
    "interests[]": "name",
    "references[]": "name",
    "projects[]": "name",
}

NULL_REMOVED = "null: the same as leaving the key out."
EMPTY_REMOVED = "An empty value: the same as leaving the key out."
ONGOING_REMOVED = "Means ongoing, which JSON Resume writes as no endDate."
NUMBER_AS_TEXT = "A number where JSON Resume has text: written as text."
LIST_WRAPPED = "One value where JSON Resume has a list: a list of that one value."
FORMER_NAME = "The name this field had before JSON Resume 1.0."
IMAGE_REMOVED = (
    "The server never stores or fetches basics.image: upload the photo as the résumé's "
    "image (exports and the public page put its URL here)."
)
KEPT = f"Not part of JSON Resume {SCHEMA_VERSION}: kept as sent (themes may not show it)."


def _text_as_object(key: str) -> str:
    return f"Text where JSON Resume has an object: the object's {key}."


_KINDS = {
    dict: "an object",
    list: "a list",
    str: "text",
    bool: "true or false",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def _moved_aside(value: Any) -> str:
    kind = _KINDS[type(value)]
    return f"{kind.capitalize()} where JSON Resume has text: kept under a key of its own."


class DocumentProblems(Exception):
    """A document that cannot be taken: {path: [messages]}, "" naming the document itself."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class ReadDocument:
    document: dict[str, Any]
    # What was changed on the way in, in document order: {"path", "action", "reason"},
    # with "from" and "to" where a value or a key changed.
    changes: list[dict[str, Any]]


def read_document(value: Any) -> ReadDocument:
    """The clean document and its changes; DocumentProblems naming every bad value."""
    if not isinstance(value, Mapping):
        kind = _KINDS[type(value)]
        raise DocumentProblems({"": [f"Expected a JSON Resume document (an object), not {kind}."]})
    _check_storable(value)
    # Both the document as sent (which bounds the reading's work) and as stored.
    _check_size(value)
    reading = _Reading()
    document = reading.object(value, official_schema(), kind="", place=(), path="")
    # Text made an object or a list adds a level and a value: the clean document must fit
    # the bounds as well, or it could not be read again.
    _check_storable(document)
    _check_size(document)
    problems: dict[str, list[str]] = {}
    for place, message in document_errors(document):
        problems.setdefault(reading.source_path(place), []).append(message)
    if problems:
        raise DocumentProblems(problems)
    return ReadDocument(document, reading.changes)


# --- Values no schema names --------------------------------------------------------


def _storage_problems(document: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(path, message) for values that no database or response can hold, that nest too
    deep, or that exceed the bounds on keys and values the schema does not name (its own
    fields have their own bounds).

    Iterative, so that no document can exhaust the stack.
    """
    stack: list[tuple[str, Any, int]] = [("", document, 1)]
    count = 0
    while stack:
        path, value, depth = stack.pop()
        count += 1
        if count > MAX_VALUES:
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


def _check_size(document: Mapping[str, Any]) -> None:
    size = len(orjson.dumps(document))
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentProblems(
            {
                "": [
                    f"Document too large: {size} bytes as compact JSON, "
                    f"at most {MAX_DOCUMENT_BYTES} allowed."
                ]
            }
        )


def _check_storable(document: Mapping[str, Any]) -> None:
    problems: dict[str, list[str]] = {}
    for path, message in _storage_problems(document):
        problems.setdefault(path, []).append(message)
    if problems:
        raise DocumentProblems(problems)


# --- The reading -------------------------------------------------------------------


def _holds_text(value: Any) -> bool:
    """Whether a value of a text field is kept as one (not left out or moved aside)."""
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, int | float) and not isinstance(value, bool)


_ABSENT = object()  # the value is left out of the clean document
_MISPLACED = object()  # the value has no place of its kind here: it moves to a key of its own


def _date_schema(node: dict[str, Any]) -> bool:
    return node.get("$ref") == "#/definitions/iso8601"


class _Reading:
    """One pass over a document: the clean copy, its changes and, for each clean place, the
    path of the value it came from (so that errors name what the sender wrote)."""

    def __init__(self) -> None:
        self.changes: list[dict[str, Any]] = []
        self._sources: dict[tuple[str | int, ...], str] = {}

    def source_path(self, place: tuple[str | int, ...]) -> str:
        if place in self._sources:
            return self._sources[place]
        path = ""
        for key in place:
            path = json_path(path, key)
        return path

    def _change(self, path: str, action: str, reason: str, **before_after: Any) -> None:
        """A change at `path`; `before_after`: its "from" and "to", where it has them."""
        self.changes.append({"path": path, "action": action, **before_after, "reason": reason})

    def object(
        self,
        value: Mapping[str, Any],
        node: dict[str, Any],
        *,
        kind: str,
        place: tuple[str | int, ...],
        path: str,
    ) -> dict[str, Any]:
        self._sources[place] = path
        properties = node.get("properties", {})
        renames = FORMER_NAMES.get(kind, {})
        clean: dict[str, Any] = {}
        for key, child in value.items():
            child_path = json_path(path, key)
            name = key
            new_name = renames.get(key)
            if key not in properties and new_name and not _holds_text(value.get(new_name)):
                name = new_name
                self._change(
                    child_path, "renamed", FORMER_NAME, **{"from": key, "to": json_path(path, name)}
                )
            if name not in properties:
                clean[key] = child
                self._change(child_path, "kept", KEPT)
                continue
            child_kind = f"{kind}.{name}" if kind else name
            result = self.value(
                child, properties[name], kind=child_kind, place=(*place, name), path=child_path
            )
            if result is _MISPLACED:
                aside = _free_key(f"x-{name}", value, clean)
                clean[aside] = child
                self._change(child_path, "moved", _moved_aside(child), to=json_path(path, aside))
            elif result is not _ABSENT:
                clean[name] = result
        if kind == "basics" and "image" in clean:
            image = clean.pop("image")
            self._change(
                self._sources.get((*place, "image"), json_path(path, "image")),
                "removed",
                IMAGE_REMOVED,
                **{"from": image},
            )
        return clean

    def value(
        self,
        value: Any,
        node: dict[str, Any],
        *,
        kind: str,
        place: tuple[str | int, ...],
        path: str,
    ) -> Any:
        """The clean form of `value`, which the schema describes by `node`; _ABSENT or
        _MISPLACED as above."""
        if value is None:
            self._change(path, "removed", NULL_REMOVED, **{"from": None})
            return _ABSENT
        self._sources[place] = path
        expected = "string" if _date_schema(node) else node.get("type")
        if expected == "string":
            return self._string(value, node, kind=kind, path=path)
        if expected == "array":
            return self._array(value, node, kind=kind, place=place, path=path)
        if expected == "object":
            name_key = NAME_KEYS.get(kind)
            if isinstance(value, str) and name_key:
                if not value.strip():
                    self._change(path, "removed", EMPTY_REMOVED, **{"from": value})
                    return _ABSENT
                named = {name_key: value}
                self._change(
                    path, "rewritten", _text_as_object(name_key), **{"from": value, "to": named}
                )
                clean = self.object(named, node, kind=kind, place=place, path=path)
                self._sources[(*place, name_key)] = path  # the text as sent
                return clean
            if isinstance(value, dict):
                return self.object(value, node, kind=kind, place=place, path=path)
        return value  # not what the schema has here: the check names it

    def _string(self, value: Any, node: dict[str, Any], *, kind: str, path: str) -> Any:
        if isinstance(value, bool | dict | list):
            return _MISPLACED
        if isinstance(value, int | float) and (
            node.get("format") or (isinstance(value, float) and _date_schema(node))
        ):
            # No URL or address is a number, and 2020.10 is no date (as text, 2020-01).
            return value
        if isinstance(value, int | float):
            text = orjson.dumps(value).decode()
            self._change(path, "rewritten", NUMBER_AS_TEXT, **{"from": value, "to": text})
            value = text
        if _date_schema(node):
            if kind.endswith(".endDate") and values.is_ongoing(value):
                self._change(path, "removed", ONGOING_REMOVED, **{"from": value})
                return _ABSENT
            read, reasons = values.read_date(value)
        elif node.get("format") == "uri":
            read, reasons = values.read_url(value)
        elif node.get("format") == "email":
            read, reasons = values.read_email(value)
        else:
            return value  # text is kept exactly as written
        if not read:
            self._change(path, "removed", EMPTY_REMOVED, **{"from": value})
            return _ABSENT
        if read != value:
            self._change(path, "rewritten", " ".join(reasons), **{"from": value, "to": read})
        return read

    def _array(
        self,
        value: Any,
        node: dict[str, Any],
        *,
        kind: str,
        place: tuple[str | int, ...],
        path: str,
    ) -> Any:
        if isinstance(value, str) and not value.strip():
            self._change(path, "removed", EMPTY_REMOVED, **{"from": value})
            return _ABSENT
        wrapped = isinstance(value, str | dict)
        if wrapped:
            self._change(path, "rewritten", LIST_WRAPPED, **{"from": value, "to": [value]})
            value = [value]
        if not isinstance(value, list):
            return value
        items = node.get("items", {})
        clean: list[Any] = []
        for index, item in enumerate(value):
            item_path = path if wrapped else json_path(path, index)
            result = self.value(
                item, items, kind=f"{kind}[]", place=(*place, len(clean)), path=item_path
            )
            if result is _MISPLACED:
                result = item  # no key of its own in a list: the check names it
            if result is not _ABSENT:
                clean.append(result)
        return clean


def _free_key(wanted: str, *taken: Mapping[str, Any]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`, ...: the first key none of `taken` has."""
    key, number = wanted, 1
    while any(key in mapping for mapping in taken):
        number += 1
        key = f"{wanted}-{number}"
    return key
