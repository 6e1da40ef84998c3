"""Absolute URLs for stored files.

A presigned S3 URL costs a signature (botocore's presigner) each time it is built, and a
list of 100 résumés needs 200 of them. While a URL still has at least half its lifetime
left it is as good as a new one, so each process keeps the URLs it signed and reuses them:
a list page then signs only what it has not seen recently. The bucket stays private, and
a repeated URL also lets the browser reuse its cached image.
"""

import threading
import time
from collections.abc import Callable
from itertools import islice
from weakref import WeakKeyDictionary

from django.conf import DEFAULT_STORAGE_ALIAS
from django.core.files.storage import Storage, default_storage, storages
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from rest_framework.request import Request

MAX_CACHED_URLS_PER_STORAGE = 50_000


class _SignedUrlCache:
    """Signed URLs by key, with when each was signed. Reads take no lock (one dict read is
    atomic); full, it forgets the URLs signed longest ago."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        # In the order of signing: a URL signed again moves to the end.
        self.entries: dict[str, tuple[str, float]] = {}
        self.lock = threading.Lock()

    def fresh(self, key: str, lifetime: float, now: float) -> str | None:
        """The URL cached under `key` if it has at least half its `lifetime` left at `now`."""
        cached = self.entries.get(key)
        if cached is not None and now - cached[1] < lifetime / 2:
            return cached[0]
        return None

    def get(self, key: str, lifetime: float, build: Callable[[], str]) -> str:
        """The URL cached under `key` while it has at least half its `lifetime` left, else a
        new one from `build`."""
        now = time.monotonic()
        return self.fresh(key, lifetime, now) or self.signed(key, build(), now)

    def signed(self, key: str, url: str, now: float) -> str:
        """Keeps `url`, signed at `now`, under `key`."""
        with self.lock:
            self.entries.pop(key, None)
            self.entries[key] = (url, now)
            surplus = len(self.entries) - self.max_entries
            for oldest in list(islice(self.entries, max(surplus, 0))):
                del self.entries[oldest]
        return url


_caches: "WeakKeyDictionary[Storage, _SignedUrlCache]" = WeakKeyDictionary()
_caches_lock = threading.Lock()


def _concrete(storage: Storage) -> Storage:
    """The storage itself: Django's `default_storage` (every FileField's default) is a lazy
    proxy, and each attribute read through it cost about 1 µs, 8 per URL."""
    return storages[DEFAULT_STORAGE_ALIAS] if storage is default_storage else storage


def _cache_of(storage: Storage) -> _SignedUrlCache:
    storage = _concrete(storage)
    with _caches_lock:
        cache = _caches.get(storage)
        if cache is None:
            cache = _caches[storage] = _SignedUrlCache(MAX_CACHED_URLS_PER_STORAGE)
    return cache


def absolute(url: str, request: HttpRequest | Request) -> str:
    """`url` made absolute for `request`: S3's are already, and parsing them again
    (build_absolute_uri) is measurable per row."""
    if url.startswith(("https://", "http://")):
        return url
    return request.build_absolute_uri(url)


def stored_url(storage: Storage, name: str) -> str:
    """The storage's URL for `name`; presigned S3 URLs are reused while fresh."""
    return AbsoluteURLs(storage, None).stored_url(name)


def download_url(storage: Storage, name: str, expire: int, download_as: str) -> str:
    """A URL valid `expire` seconds that downloads `name` as `download_as` (the storage's
    signed_url), reused while fresh like stored_url's."""
    build = lambda: storage.signed_url(name, expire, download_as=download_as)  # noqa: E731
    if not storage.signs_urls:
        return build()
    return _cache_of(storage).get(f"{name}\0{download_as}\0{expire}", expire, build)


def absolute_file_url(file: FieldFile | None, request: Request | None) -> str | None:
    """An absolute URL a browser can GET, or None when there is no file."""
    if not file:
        return None
    return absolute_url(file.storage, file.name, request)


def absolute_url(storage: Storage, name: str, request: Request | None) -> str | None:
    """absolute_file_url for a file's name in `storage` (a column's value), None for none."""
    return AbsoluteURLs(storage, request)(name)


class AbsoluteURLs:
    """absolute_url for the names of one storage, e.g. a page of rows: the storage and its
    URL cache are looked up once, and the clock read once (a request lasts seconds; a
    cached URL is fresh for half its lifetime, half an hour by default)."""

    def __init__(self, storage: Storage, request: Request | None) -> None:
        self.storage = _concrete(storage)
        self.request = request
        self.cache = _cache_of(self.storage) if self.storage.signs_urls else None
        self.now = time.monotonic()
        # _SignedUrlCache.fresh() for this `now`, read inline by __call__ (a page reads 200).
        if self.cache is not None:
            self._signed = self.cache.entries
            self._fresh_if_signed_after = self.now - self.storage.querystring_expire / 2

    def stored_url(self, name: str) -> str:
        storage = self.storage
        if self.cache is None:
            return storage.url(name)
        lifetime = storage.querystring_expire
        url = self.cache.fresh(name, lifetime, self.now)
        return url or self.cache.signed(name, storage.url(name), self.now)

    def __call__(self, name: str | None) -> str | None:
        if not name:
            return None
        cached = self._signed.get(name) if self.cache is not None else None
        if cached is not None and cached[1] > self._fresh_if_signed_after:
            url = cached[0]
        else:
            url = self.stored_url(name)
        return url if self.request is None else absolute(url, self.request)
