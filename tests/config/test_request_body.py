import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest
from gunicorn.http.body import Body, ChunkedReader, LengthReader
from gunicorn.http.unreader import SocketUnreader

from config.request_body import BlockReadBody, read_in_blocks

PAYLOAD = bytes(range(256)) * 20_000 + b"line one\nline two\n"  # 5 MB and some lines


@pytest.fixture
def sent() -> Iterator[socket.socket]:
    """The receiving end of a socket whose sender writes PAYLOAD, then closes."""
    sender, receiver = socket.socketpair()

    def send() -> None:
        with sender, contextlib.suppress(OSError):  # a test that reads part closes early
            sender.sendall(PAYLOAD)

    thread = threading.Thread(target=send)
    thread.start()
    yield receiver
    receiver.close()
    thread.join()


def length_body(sock: socket.socket, length: int = len(PAYLOAD)) -> Body:
    return Body(LengthReader(SocketUnreader(sock), length))


def test_read_takes_the_whole_body_in_one_block(sent: socket.socket) -> None:
    body = BlockReadBody(length_body(sent))

    assert body.read() == PAYLOAD
    assert body.read() == b""


def test_reads_of_a_size_give_the_body_in_order(sent: socket.socket) -> None:
    body = BlockReadBody(length_body(sent))

    parts = [body.read(1_000_003) for _ in range(6)]

    assert [len(part) for part in parts] == [1_000_003] * 5 + [len(PAYLOAD) - 5_000_015]
    assert b"".join(parts) == PAYLOAD


def test_no_byte_past_the_content_length_is_read(sent: socket.socket) -> None:
    body = BlockReadBody(length_body(sent, length=100))

    assert body.read(1_000) == PAYLOAD[:100]
    assert body.read() == b""


def test_a_read_after_readline_gets_what_readline_buffered(sent: socket.socket) -> None:
    body = BlockReadBody(length_body(sent))

    first = body.readline(10)
    rest = body.read()

    assert first + rest == PAYLOAD


def test_a_chunked_body_is_read_by_gunicorn_itself() -> None:
    chunked = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    sender, receiver = socket.socketpair()
    sender.sendall(chunked)
    sender.close()

    class Request:  # what ChunkedReader asks of gunicorn's request
        trailers: list = []

    body = BlockReadBody(Body(ChunkedReader(Request(), SocketUnreader(receiver))))

    assert body.read() == b"hello world"
    receiver.close()


def test_only_gunicorn_bodies_are_wrapped(sent: socket.socket) -> None:
    gunicorn = {"wsgi.input": length_body(sent)}
    other = {"wsgi.input": object()}

    read_in_blocks(gunicorn)
    read_in_blocks(other)

    assert isinstance(gunicorn["wsgi.input"], BlockReadBody)
    assert type(other["wsgi.input"]) is object
    assert gunicorn["wsgi.input"].read() == PAYLOAD
