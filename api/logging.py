"""The id of the request a log line belongs to, for every formatter (LOGGING in
config/settings.py: JSON lines by python-json-logger, or plain text)."""

import logging
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True
