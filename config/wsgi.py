"""WSGI entry point, used by `runserver` and by `gunicorn config.wsgi`."""

import gc
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage, storages
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from config.allocator import release_free_memory
from config.request_body import read_in_blocks

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_application = get_wsgi_application()


def require_collected_static() -> None:
    """Refuse to serve without the static files' manifest: every page that names a static
    file (the admin, Swagger UI) would answer 500, and only at its first request."""
    storage = storages["staticfiles"]
    if isinstance(storage, ManifestFilesMixin) and storage.read_manifest() is None:
        raise ImproperlyConfigured(
            f"The static files have not been collected: {settings.STATIC_ROOT} has no "
            f"{storage.manifest_name}, so the admin and Swagger UI would answer 500. Run "
            "`python manage.py collectstatic --noinput` before starting the server."
        )


require_collected_static()


def freeze_what_start_up_made() -> None:
    """Take what start-up made (Django, the apps and their modules: about 217 000 objects)
    out of the cyclic collector's reach: they live as long as the process, yet each full
    collection walked them all, about 130 ms once every ~200 list requests in a worker,
    0.65 ms a request on average (gc.callbacks, in process). The URLconf is loaded first so
    the views' modules, which Django imports at the first request, are among them. Python's
    gc.freeze() documentation suggests this for servers that fork their workers."""
    get_resolver().url_patterns  # noqa: B018 - imports every view
    gc.freeze()


freeze_what_start_up_made()


# A request body from this size up (an image upload) is collected after; smaller ones leave
# little in their cycles, and the collection (0.04 ms after a detail read, 0.1 ms after a
# page of 100) would cost every read for nothing.
COLLECT_AFTER_BODY_BYTES = 64 * 1024


class CollectWhenClosed:
    """A response body whose close() also frees the request's reference cycles.

    A DRF request's objects form cycles (Response.renderer_context holds the response, the
    Request's parser_context the view, the view the Request), so reference counting frees
    none of them: the serializer, its validated data and, for an upload, the re-encoded
    image (3.4 MiB for a 4.8 MiB JPEG) wait for the cyclic GC. With its default thresholds
    generation 1 runs about every 30 such uploads, and what it finds still in use (the
    request in flight) moves to generation 2, which runs far more rarely: under gunicorn a
    worker's RSS climbed ~1 MiB per upload, a saw-tooth between 118 and 181 MiB over 300
    uploads. Once the server has closed the body and this drops the last reference to the
    response, a young-generation collection (~0.4 ms, never the whole heap) frees it all,
    and the heap's free memory goes back to the system (config/allocator.py).
    """

    def __init__(self, response: Iterable[bytes]) -> None:
        self._response: Any = response

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._response)

    def close(self) -> None:
        response, self._response = self._response, None
        try:
            if hasattr(response, "close"):
                response.close()
        finally:
            del response
            # Generation 1 too: a collection during the request moved its objects there.
            gc.collect(1)
            release_free_memory()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    read_in_blocks(environ)
    response = django_application(environ, start_response)
    if isinstance(response, environ.get("wsgi.file_wrapper", ())):
        return response  # as it is, for the server's sendfile()
    if _body_bytes(environ) < COLLECT_AFTER_BODY_BYTES:
        return response
    return CollectWhenClosed(response)


def _body_bytes(environ: dict[str, Any]) -> int:
    """The request body's declared size; a chunked body (no Content-Length) counts as large."""
    declared = environ.get("CONTENT_LENGTH") or ""
    if not declared:
        return COLLECT_AFTER_BODY_BYTES if environ.get("HTTP_TRANSFER_ENCODING") else 0
    try:
        return int(declared)
    except ValueError:
        return COLLECT_AFTER_BODY_BYTES


logging.getLogger("config").info("Images are stored on %s.", default_storage.description)
