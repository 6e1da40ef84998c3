"""config.wsgi: a request that sent a large body has its reference cycles collected, and the
heap's free memory returned, once its response is closed; reads do not pay for either."""

import gc
import platform

import pytest

from config import allocator, wsgi


@pytest.fixture
def collections(monkeypatch):
    made = []
    monkeypatch.setattr(wsgi, "django_application", lambda environ, start: [b"body"])
    monkeypatch.setattr(gc, "collect", lambda generation=2: made.append(generation))
    monkeypatch.setattr(wsgi, "release_free_memory", lambda: made.append("trim"))
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

    assert collections == [1, "trim"]


@pytest.mark.parametrize("environ", [{}, {"CONTENT_LENGTH": ""}, {"CONTENT_LENGTH": "2048"}])
def test_a_read_or_a_small_body_is_not(collections, environ):
    serve(environ)

    assert collections == []


def test_free_memory_is_returned_once_the_process_has_grown(monkeypatch):
    assert platform.libc_ver()[0] == "glibc"  # the servers this runs on (Debian)
    monkeypatch.setattr(allocator, "_resident_after_trim", 0)
    assert allocator.release_free_memory()  # grown from nothing: trims
    after = allocator._resident_after_trim
    assert 0 < after <= allocator.resident_bytes() + allocator.TRIM_AFTER_GROWTH_BYTES

    assert not allocator.release_free_memory()  # not grown since: leaves the heap alone

    held = bytearray(2 * allocator.TRIM_AFTER_GROWTH_BYTES)
    held[:: allocator._PAGE_BYTES] = b"\1" * len(held[:: allocator._PAGE_BYTES])
    assert allocator.release_free_memory()
    del held


def test_what_start_up_made_is_out_of_the_collectors_reach():
    # Frozen objects are in no generation: get_objects() does not list them.
    assert gc.get_freeze_count() > 10_000
    assert not any(o is wsgi.require_collected_static for o in gc.get_objects())


def test_the_views_are_imported_before_the_freeze(monkeypatch):
    steps = []

    class Resolver:
        @property
        def url_patterns(self) -> list:
            steps.append("URLconf loaded")
            return []

    monkeypatch.setattr(wsgi, "get_resolver", Resolver)
    monkeypatch.setattr(wsgi.gc, "freeze", lambda: steps.append("frozen"))

    wsgi.freeze_what_start_up_made()

    assert steps == ["URLconf loaded", "frozen"]
