"""Errors of stored files, raised by services and backends; api/errors.py maps each to its
response."""


class FieldRejected(Exception):
    """A value the client sent cannot be used: `field` names the request field, `message`
    says why, for the client (the API answers 400 `{field: [message]}`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class DirectUploadUnavailable(Exception):
    """The storage cannot take uploads straight from browsers (local disk)."""


class ObjectTooLarge(Exception):
    """The object has more than the bytes the caller would read; `size` is its size."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size
