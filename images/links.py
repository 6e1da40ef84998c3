"""Absolute URLs for stored images.

A presigned S3 URL costs a signature (botocore's presigner) each time it is built, and a
list of 100 résumés needs 200 of them. While a URL still has at least half its lifetime
left it is as good as a new one, so each process keeps the URLs it signed and reuses them:
a list page then signs only what it has not seen recently. The bucket stays private, and
a repeated URL also lets the browser reuse its cached image.
"""

import threading
import time
from collections import OrderedDict
from weakref import WeakKeyDictionary

from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from rest_framework.request import Request
from storages.backends.s3boto3 import S3Boto3Storage

MAX_CACHED_URLS_PER_STORAGE = 50_000


class _SignedUrlCache:
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self.entries: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, storage: S3Boto3Storage, name: str) -> str:
        now = time.monotonic()
        reuse_for = storage.querystring_expire / 2
        with self.lock:
            cached = self.entries.get(name)
            if cached and now - cached[1] < reuse_for:
                self.entries.move_to_end(name)
                return cached[0]
        url = storage.url(name)
        with self.lock:
            self.entries[name] = (url, now)
            self.entries.move_to_end(name)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)
        return url


_caches: "WeakKeyDictionary[Storage, _SignedUrlCache]" = WeakKeyDictionary()
_caches_lock = threading.Lock()


def _signs_urls(storage: Storage) -> bool:
    return (
        isinstance(storage, S3Boto3Storage)
        and storage.querystring_auth
        and not storage.custom_domain
    )


def stored_url(storage: Storage, name: str) -> str:
    """The storage's URL for `name`; presigned S3 URLs are reused while fresh."""
    if not _signs_urls(storage):
        return storage.url(name)
    with _caches_lock:
        cache = _caches.get(storage)
        if cache is None:
            cache = _caches[storage] = _SignedUrlCache(MAX_CACHED_URLS_PER_STORAGE)
    return cache.get(storage, name)


def short_lived_url(storage: Storage, name: str, expire_seconds: int) -> str:
    """The storage's URL for `name`, signed now for `expire_seconds` when the storage signs
    URLs (never taken from the cache: its URLs live up to AWS_QUERYSTRING_EXPIRE)."""
    if _signs_urls(storage):
        return storage.url(name, expire=expire_seconds)
    return storage.url(name)


def absolute_file_url(file: FieldFile | None, request: Request | None) -> str | None:
    """An absolute URL a browser can GET, or None when there is no file."""
    if not file:
        return None
    url = stored_url(file.storage, file.name)
    if request is None or url.startswith(("https://", "http://")):
        return url  # S3 URLs are absolute already; parsing them again is measurable per row
    return request.build_absolute_uri(url)
