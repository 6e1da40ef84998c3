"""Read request bodies from gunicorn in large blocks.

gunicorn's `Body.read()` fills its buffer 1 KiB at a time, and each 1 KiB read slices the
8 KiB socket chunk it came from and buffers the rest again (gunicorn issue 2596, open): a
5 MiB upload took 10-16 ms of CPU to read, where the same body read from its length reader
in one call takes 2.5 ms. Django reads a body with one `read(n)` (the multipart parser
takes it whole, see api/parsers.py), so a body of known length is read here straight from
gunicorn's `LengthReader`, which receives the socket's chunks until it has n bytes.
"""

from typing import Any

try:
    from gunicorn.http.body import Body, LengthReader
except ImportError:  # another WSGI server: nothing to do
    Body = LengthReader = None


class BlockReadBody:
    """gunicorn's `Body` with `read()` in one block when the body has a Content-Length.

    Only when nothing is buffered in the `Body` yet (a `readline()` before it fills that
    buffer): then its own `read()` is used, as for chunked bodies.
    """

    def __init__(self, body: Any) -> None:
        self._body = body

    def read(self, size: int | None = None) -> bytes:
        body = self._body
        reader = body.reader
        if body.buf.tell() or not isinstance(reader, LengthReader):
            return body.read(size)
        if size is None or size < 0:
            size = reader.length
        return reader.read(size)

    def readline(self, size: int | None = None) -> bytes:
        return self._body.readline(size)

    def readlines(self, size: int | None = None) -> list[bytes]:
        return self._body.readlines(size)

    def __iter__(self) -> Any:
        return iter(self._body)


def read_in_blocks(environ: dict[str, Any]) -> None:
    """Make `environ`'s wsgi.input read in blocks, when gunicorn serves the request."""
    if Body is not None and type(environ.get("wsgi.input")) is Body:
        environ["wsgi.input"] = BlockReadBody(environ["wsgi.input"])
