"""config.wsgi: a request that sent a large body has its reference cycles collected once its
response is closed; reads are not made to pay for a collection."""

import gc

import pytest

from config import wsgi


@pytest.fixture
def collections(monkeypatch):
    made = []
    monkeypatch.setattr(wsgi, "django_application", lambda environ, start: [b"body"])
    monkeypatch.setattr(gc, "collect", lambda generation=2: made.append(generation))
    return made


def serve(environ: dict) -> None:
    response = wsgi.application({"REQUEST_METHOD": "GET", **environ}, lambda *args: None)
    assert b"".join(response) == b"body"
    if hasattr(response, "close"):
        response.close()


@pytest.mark.parametrize(
    "environ",
    [
        {"CONTENT_LENGTH": str(wsgi.COLLECT_AFTER_BODY_BYTES)},
        {"CONTENT_LENGTH": str(5 * 1024 * 1024)},
        {"HTTP_TRANSFER_ENCODING": "chunked"},
        {"CONTENT_LENGTH": "not a number"},
    ],
)
def test_a_large_or_unsized_body_is_collected_after(collections, environ):
    serve(environ)

    assert collections == [1]


@pytest.mark.parametrize("environ", [{}, {"CONTENT_LENGTH": ""}, {"CONTENT_LENGTH": "2048"}])
def test_a_read_or_a_small_body_is_not(collections, environ):
    serve(environ)

    assert collections == []
