"""Request body parsers."""

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


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
