"""Request body parsers."""

from typing import Any

from django.conf import settings
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from rest_framework.exceptions import ParseError
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
        try:
            parser = _KeepEveryFileMultiPartParser(meta, stream, request.upload_handlers, encoding)
            return DataAndFiles(*parser.parse())
        except MultiPartParserError as exc:
            raise ParseError(f"Multipart form parse error - {exc}") from exc
