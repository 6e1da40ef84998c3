"""The storage backends: django-storages' S3 backend and Django's local disk one, each with the
same few methods beyond Django's Storage API, so that the rest of the project neither calls
boto3 nor asks which backend it has:

- `put(name, data, content_type)`: write bytes as `name`; returns the name.
- `put_many(objects)`: write several `NewObject`s, on S3 in parallel; returns their names
  once every write has ended, or raises the first error (the others may have been written).
- `put_file(name, file, content_type, cache_control)`: the same from a file object, read in
  parts (a file too large to hold in memory: an account export).
- `read(name, max_bytes)`: the bytes, or None if there is no such object.
- `stream(name)`: the object's bytes as a file object to read (and close), or None if there
  is no such object: for copying an object too large to hold in memory.
- `presigned_post(name, content_type, size, expires_in)`: a form for a browser upload.
- `listing(prefix)`: every object under `prefix`, as `StoredObject`s.
- `signed_url(name, expire, download_as=None)`: a URL valid for `expire` seconds (where URLs
  are signed); with `download_as`, S3 answers it as an attachment of that file name.
- `signs_urls`, `description`: what links and the start-up log need to know.
- `url_origin()`: the origin (scheme://host[:port]) its URLs point to, None for the site's
  own; what a Content-Security-Policy must allow for an image the site redirects to.

Names are relative to the storage: on S3 every one goes through django-storages' own
normalisation (`clean_name`, then `_normalize_name`, which puts the storage's `location` in
front), so a storage with a `location` keeps the same names in the database and in the API,
and its listings give names back without the location.
"""

import contextvars
import mimetypes
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import boto3
from botocore.exceptions import ClientError
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.utils.http import content_disposition_header
from storages.backends.s3boto3 import S3Boto3Storage
from storages.utils import clean_name

from storage.budget import register
from storage.errors import DirectUploadUnavailable, ObjectTooLarge


@dataclass(frozen=True)
class StoredObject:
    name: str
    size: int
    last_modified: datetime


@dataclass(frozen=True)
class NewObject:
    name: str
    data: bytes
    content_type: str


# Threads that send a request's other writes while its own thread sends the last one.
_WRITERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="storage-write")


def _all_at_once(calls: Sequence[Callable[[], str]]) -> list[str]:
    """Run `calls` at the same time (the last in this thread) and return their results once
    all have ended, or raise the first one's error. Each runs in a copy of this thread's
    context, so that the request's S3 time budget (storage/budget.py) applies to it."""
    futures = [_WRITERS.submit(contextvars.copy_context().run, call) for call in calls[:-1]]
    try:
        last = calls[-1]()
    finally:
        wait(futures)
    return [future.result() for future in futures] + [last]


class S3Storage(S3Boto3Storage):
    """S3 (or any S3-compatible store) through django-storages, keeping each request's S3 time
    budget (storage/budget.py)."""

    def _create_session(self) -> boto3.session.Session:
        session = super()._create_session()
        register(session.events)
        return session

    @property
    def description(self) -> str:
        where = f" under {self.location!r}" if self.location else ""
        return f"S3 bucket {self.bucket_name!r}{where} at {self.endpoint_url or 'AWS'}"

    @property
    def signs_urls(self) -> bool:
        return bool(self.querystring_auth and not self.custom_domain)

    def _key(self, name: str) -> str:
        return self._normalize_name(clean_name(name))

    def _name(self, key: str) -> str:
        """The storage name of a bucket key: the key without the storage's location."""
        return key.removeprefix(self._key(""))

    def put(self, name: str, data: bytes, content_type: str) -> str:
        # One PutObject, with the storage's object parameters (Cache-Control). save() would
        # also HEAD the key (which a fresh uuid4 never needs) and build a boto3 resource and a
        # transfer manager on every call: about a third of a 200 KB upload's CPU in
        # `python -m bench.profile create`.
        return self._put(self.connection.meta.client, name, data, content_type)

    def put_many(self, objects: Sequence[NewObject]) -> list[str]:
        # The PutObject calls overlap: each waits mostly on the network, and a large image's
        # transfer takes longer than its thumbnail's. One client for all: botocore's clients
        # are thread-safe, while `connection` (a boto3 resource) is made anew for each thread.
        client = self.connection.meta.client
        return _all_at_once(
            [lambda o=o: self._put(client, o.name, o.data, o.content_type) for o in objects]
        )

    def _put(self, client: Any, name: str, data: bytes, content_type: str) -> str:
        key = self._key(name)
        parameters = {**self.get_object_parameters(key), "ContentType": content_type}
        if self.default_acl:
            parameters.setdefault("ACL", self.default_acl)
        client.put_object(Bucket=self.bucket_name, Key=key, Body=data, **parameters)
        return clean_name(name)

    def delete(self, name: str) -> None:
        # django-storages deletes through a boto3 resource, which builds an Object resource
        # on every call: 3.5 ms of CPU a delete against moto, 2.2 ms straight from the client.
        client = self.connection.meta.client
        try:
            client.delete_object(Bucket=self.bucket_name, Key=self._key(name))
        except ClientError as error:
            # Not an error to delete something that does not exist (django-storages' rule).
            if error.response["ResponseMetadata"]["HTTPStatusCode"] != 404:
                raise

    def put_file(self, name: str, file: BinaryIO, content_type: str, cache_control: str) -> str:
        """Write `file` (from its start) as `name` with boto3's managed transfer: a multipart
        upload above its threshold, so that no more than a part is in memory at a time."""
        key = self._key(name)
        parameters = {
            **self.get_object_parameters(key),
            "ContentType": content_type,
            "CacheControl": cache_control,
        }
        if self.default_acl:
            parameters.setdefault("ACL", self.default_acl)
        file.seek(0)
        self.connection.meta.client.upload_fileobj(
            file, self.bucket_name, key, ExtraArgs=parameters, Config=self.transfer_config
        )
        return clean_name(name)

    def read(self, name: str, max_bytes: int) -> bytes | None:
        """The object's bytes, or None if it does not exist; ObjectTooLarge, before reading
        any byte, if its Content-Length is over max_bytes (at most max_bytes + 1 are read)."""
        client = self.connection.meta.client
        try:
            response = client.get_object(Bucket=self.bucket_name, Key=self._key(name))
        except client.exceptions.NoSuchKey:
            return None
        with response["Body"] as body:
            if response["ContentLength"] > max_bytes:
                raise ObjectTooLarge(response["ContentLength"])
            return body.read(max_bytes + 1)

    def stream(self, name: str) -> BinaryIO | None:
        client = self.connection.meta.client
        try:
            response = client.get_object(Bucket=self.bucket_name, Key=self._key(name))
        except client.exceptions.NoSuchKey:
            return None
        return response["Body"]

    def presigned_post(self, name: str, content_type: str, size: int, expires_in: int) -> dict:
        """A presigned POST for exactly one key, one content type and one size in bytes."""
        return self.connection.meta.client.generate_presigned_post(
            Bucket=self.bucket_name,
            Key=self._key(name),
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
            ExpiresIn=expires_in,
        )

    def listing(self, prefix: str) -> Iterator[StoredObject]:
        pages = self.connection.meta.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket_name, Prefix=self._key(prefix)
        )
        for page in pages:
            for entry in page.get("Contents", ()):
                yield StoredObject(self._name(entry["Key"]), entry["Size"], entry["LastModified"])

    def signed_url(self, name: str, expire: int, download_as: str | None = None) -> str:
        """A presigned GET; with `download_as`, S3 answers it with `Content-Disposition:
        attachment; filename=...` and that name's content type (S3's response-* parameters,
        which are part of the signature). Behind a custom domain (a CDN) URLs are not signed
        and the parameters are passed on unsigned: whether they apply is the CDN's choice."""
        parameters = {}
        if download_as:
            content_type, _ = mimetypes.guess_type(download_as)
            parameters["ResponseContentDisposition"] = content_disposition_header(
                as_attachment=True, filename=download_as
            )
            parameters["ResponseContentType"] = content_type or "application/octet-stream"
        return self.url(name, parameters=parameters, expire=expire)

    def url_origin(self) -> str | None:
        return self._url_origin

    @cached_property
    def _url_origin(self) -> str:
        # Every key's URL has the same origin (the bucket's, or the custom domain's): made
        # locally, no request is sent.
        parts = urlsplit(self.url("origin"))
        return f"{parts.scheme}://{parts.netloc}"


class LocalStorage(FileSystemStorage):
    """Files on local disk (MEDIA_ROOT), served at MEDIA_URL."""

    signs_urls = False

    @property
    def description(self) -> str:
        return f"local disk at {self.location}"

    def put(self, name: str, data: bytes, content_type: str) -> str:
        return self.save(name, ContentFile(data))

    def put_many(self, objects: Sequence[NewObject]) -> list[str]:
        return [self.put(o.name, o.data, o.content_type) for o in objects]

    def put_file(self, name: str, file: BinaryIO, content_type: str, cache_control: str) -> str:
        file.seek(0)
        return self.save(name, File(file))

    def read(self, name: str, max_bytes: int) -> bytes | None:
        try:
            size = self.size(name)
        except FileNotFoundError:
            return None
        if size > max_bytes:
            raise ObjectTooLarge(size)
        with self.open(name) as file:
            return file.read(max_bytes + 1)

    def stream(self, name: str) -> BinaryIO | None:
        try:
            return self.open(name)
        except FileNotFoundError:
            return None

    def presigned_post(self, name: str, content_type: str, size: int, expires_in: int) -> dict:
        raise DirectUploadUnavailable(
            "Direct uploads need S3 storage; this server stores images on local disk. "
            "Upload the file through the API instead."
        )

    def listing(self, prefix: str) -> Iterator[StoredObject]:
        folder = prefix.rstrip("/")
        if not self.exists(folder):
            return
        directories, files = self.listdir(folder)
        for file_name in files:
            name = f"{folder}/{file_name}"
            yield StoredObject(name, self.size(name), self.get_modified_time(name))
        for directory in directories:
            yield from self.listing(f"{folder}/{directory}")

    def signed_url(self, name: str, expire: int, download_as: str | None = None) -> str:
        """MEDIA_URL's path of the file. `download_as` has no effect: the file is served by
        whatever serves MEDIA_URL (Django's static view with DEBUG on), which sends no
        Content-Disposition, so a browser shows a PDF instead of saving it under that name."""
        return self.url(name)

    def url_origin(self) -> str | None:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else None
