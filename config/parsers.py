"""Request body parsers."""

import io
import re
from typing import Any

from django.conf import settings
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from django.utils.http import parse_header_parameters
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import DataAndFiles, JSONParser, MultiPartParser


class NestingSafeJSONParser(JSONParser):
    """DRF's JSONParser, with a 400 instead of a 500 for JSON nested past Python's stack.

    The decoder raises RecursionError, not ValueError, for input such as `[[[[...]]]]`
    a hundred thousand levels deep.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - nested too deeply.") from exc


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
            return DataAndFiles(*parser.parse())
        except MultiPartParserError as exc:
            raise ParseError(f"Multipart form parse error - {exc}") from exc
