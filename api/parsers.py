"""Request body parsers, and the one check every value of a request body passes.

orjson reads JSON bodies and refuses, as a 400 naming the reason and the place in the body,
what is not JSON or has no exact Python value: NaN and Infinity, lone UTF-16 surrogates
(`"\\ud800"`), numbers beyond a double (`1e400`), nesting past 1024 levels. The check here
refuses, naming each value's path, what orjson lets through but no field, database or
response can hold: control characters (PostgreSQL's text and jsonb refuse NUL) and numbers
beyond a signed 64-bit column (orjson reads an integer beyond 64 bits as a float, dropping
digits). Form fields and query strings pass the same check.
"""

import io
import re
from collections.abc import Iterator
from typing import Any

import orjson
from django.conf import settings
from django.http import QueryDict
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from django.utils.http import parse_header_parameters
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import DataAndFiles, JSONParser, MultiPartParser
from rest_framework.settings import api_settings

# C0 controls but tab, line feed and carriage return; DEL.
_CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_FORBIDDEN_CHARACTER = re.compile(f"[{_CONTROL_CHARACTERS}]")
# The same rule as a pattern for the OpenAPI document.
TEXT_PATTERN = f"^[^{_CONTROL_CHARACTERS}]*$"
# Every integer field of the API fits a signed 64-bit column.
MAX_INTEGER = 2**63 - 1
# A body full of bad values answers with this many of them.
MAX_REPORTED_PROBLEMS = 20


def text_problem(text: str) -> str | None:
    """Why `text` cannot be taken as text, or None."""
    found = _FORBIDDEN_CHARACTER.search(text)
    if found is None:
        return None
    return (
        f"Contains the control character U+{ord(found.group()):04X}; of the control characters "
        "only tab, line feed and carriage return are allowed."
    )


def number_problem(value: Any) -> str | None:
    """Why a JSON number cannot be taken, or None. Floats beyond the range too: orjson reads
    an integer beyond 64 bits as a float (orjson issue 308), so the two look alike."""
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
        return f"Numbers must be between -{MAX_INTEGER} and {MAX_INTEGER}."
    return None


def json_path(parent: str, key: str | int) -> str:
    """`parent.key` or `parent[index]`, the way error messages name a value's place."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def value_problems(value: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(place, reason) for every string, key or number in a JSON value that is refused.

    A place is the keys and indexes leading to the value; a bad key is reported at the
    object holding it (the key itself may not be printable). Iterative: no value exhausts
    the stack.
    """
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    while stack:
        place, item = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                problem = text_problem(key)
                if problem:
                    yield place, f"A key: {problem}"
                else:
                    stack.append(((*place, key), child))
        elif isinstance(item, list):
            stack.extend(((*place, index), child) for index, child in enumerate(item))
        elif isinstance(item, str):
            problem = text_problem(item)
            if problem:
                yield place, problem
        else:
            problem = number_problem(item)
            if problem:
                yield place, problem


def check_value(value: Any, *, flat: bool = False) -> None:
    """Raise a 400 naming each refused value: `{"field": [...]}` for a top-level value,
    `{"field": {"path.below": [...]}}` below it (the documented shape of content errors);
    with `flat`, `{"field.path.below": [...]}` (a JSON Resume document as the body)."""
    errors: dict[str, Any] = {}
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    for count, (place, message) in enumerate(value_problems(value)):
        if count == MAX_REPORTED_PROBLEMS:
            break
        if flat:
            path = ""
            for key in place:
                path = json_path(path, key)
            errors.setdefault(path or non_field, []).append(message)
            continue
        if not place:
            errors.setdefault(non_field, []).append(message)
            continue
        field, below = str(place[0]), ""
        for key in place[1:]:
            below = json_path(below, key)
        if below or isinstance(errors.get(field), dict):
            nested = errors.setdefault(field, {})
            if isinstance(nested, list):
                nested = errors[field] = {non_field: nested}
            nested.setdefault(below or non_field, []).append(message)
        else:
            errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)


def json_from_text(text: str) -> Any:
    """The JSON value `text` holds, read as a file is: a leading byte order mark (which
    Windows editors write) is no part of it. ValueError (orjson's) names what is wrong."""
    return orjson.loads(text.removeprefix("\ufeff"))


def _check_form(data: QueryDict) -> None:
    check_value({key: values if len(values) > 1 else values[0] for key, values in data.lists()})


class NestingSafeJSONParser(JSONParser):
    """DRF's JSONParser read by orjson (which also refuses nesting past 1024 levels, where
    the standard library's decoder exhausts the stack), with a 400 naming the place of
    every value the API cannot take (above)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = orjson.loads(stream.read().decode(encoding))
        except ValueError as exc:  # orjson.JSONDecodeError, UnicodeDecodeError
            raise ParseError(f"JSON parse error - {exc}") from exc
        check_value(data)
        return data


class DocumentJSONParser(NestingSafeJSONParser):
    """For a body that is one document, read as the same document uploaded as a file is:
    a byte order mark is ignored, errors name each path flat, from its root, and a body
    that is not JSON is a problem of the document as a whole (non_field_errors)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        non_field = api_settings.NON_FIELD_ERRORS_KEY
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError as exc:
            raise ValidationError({non_field: [f"The body is not {encoding} text."]}) from exc
        try:
            data = json_from_text(text)
        except ValueError as exc:
            raise ValidationError({non_field: [f"Not valid JSON: {exc}"]}) from exc
        check_value(data, flat=True)
        return data


class FormParser(parsers.FormParser):
    """DRF's FormParser, with the same check of every value as JSON bodies."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        _check_form(data)
        return data


# Django's own limit on one part's header block (multipartparser.MAX_TOTAL_HEADER_SIZE).
MAX_PART_HEADER_BYTES = 1024
_PART_NAME = re.compile(rb'\bname="([^"]*)"')


def _check_part_headers(body: bytes, media_type: str) -> None:
    """Refuse, naming the field, a part Django would mishandle because of its headers.

    Django's parser skips a header line that is not UTF-8 (the part, often a file with a
    non-UTF-8 name, then silently disappears) and fails the whole request on a header block
    over 1 KiB (a very long file name) with a message that names no field.
    """
    _, parameters = parse_header_parameters(media_type)
    boundary = parameters.get("boundary", "").encode("ascii", "ignore")
    if not boundary:
        return  # Django's parser reports a missing boundary itself
    delimiter = b"--" + boundary
    position = body.find(delimiter)
    while position != -1:
        headers_start = position + len(delimiter)
        if body.startswith(b"--", headers_start):
            return  # the closing delimiter
        headers_end = body.find(b"\r\n\r\n", headers_start)
        if headers_end == -1:
            return
        headers = body[headers_start:headers_end]
        problem = None
        if len(headers) > MAX_PART_HEADER_BYTES:
            problem = "This part's headers are too long (is its file name over 1 000 characters?)."
        else:
            try:
                headers.decode("utf-8")
            except UnicodeDecodeError:
                problem = "This part's headers (such as its file name) are not valid UTF-8."
        if problem:
            name = _PART_NAME.search(headers)
            field = name.group(1).decode("latin-1") if name else "non_field_errors"
            raise ValidationError({field: [problem]})
        position = body.find(delimiter, headers_end)


class _KeepEveryFileMultiPartParser(DjangoMultiPartParser):
    # Django drops a file part whose name sanitizes to nothing ("..", "/"), so the request
    # would go on as if no file had been sent. The name is never used (keys are generated),
    # so such a file keeps a neutral name and is validated like any other.
    def sanitize_file_name(self, file_name: str) -> str:
        return super().sanitize_file_name(file_name) or "upload"


class UploadMultiPartParser(MultiPartParser):
    """DRF's MultiPartParser, but no file part is silently dropped because of its name."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        request = parser_context["request"]
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        # Bodies are capped (REQUEST_BODY_MAX_BYTES), so reading one whole is bounded.
        body = stream.read() if stream is not None else b""
        _check_part_headers(body, media_type or "")
        try:
            parser = _KeepEveryFileMultiPartParser(
                meta, io.BytesIO(body), request.upload_handlers, encoding
            )
            data, files = parser.parse()
        except MultiPartParserError as exc:
            raise ParseError(f"Multipart form parse error - {exc}") from exc
        _check_form(data)
        return DataAndFiles(data, files)


# The parser lists views use. Each accepts JSON, URL-encoded forms and multipart forms; the
# first is what Swagger offers by default.
# Bodies that may carry an image file: multipart first.
FILE_FORM_OR_JSON_PARSERS = [UploadMultiPartParser, FormParser, NestingSafeJSONParser]
# Bodies of plain fields: JSON first.
JSON_OR_FORM_PARSERS = [NestingSafeJSONParser, FormParser, UploadMultiPartParser]
# A JSON Resume document: the JSON body itself, or a file in a multipart form.
DOCUMENT_OR_FILE_PARSERS = [DocumentJSONParser, UploadMultiPartParser]
