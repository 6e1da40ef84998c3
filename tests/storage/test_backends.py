"""The two storage backends and their shared methods: S3 (moto, with a location) and local
disk."""

import threading
import time
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.storage import default_storage

from storage.backends import LocalStorage, NewObject
from storage.budget import S3BudgetSpent, request_budget
from storage.errors import DirectUploadUnavailable, ObjectTooLarge
from tests.support.s3 import point_storage_at

# --- S3 ------------------------------------------------------------------------------------


def test_put_is_one_put_object_under_the_location(bucket, located, settings, s3_calls):
    name = default_storage.put("resumes/a.jpg", b"jpeg bytes", "image/jpeg")

    assert name == "resumes/a.jpg"
    assert s3_calls == ["PutObject"]  # no HEAD of the key, no multipart upload
    assert bucket.object_keys() == [f"{located}/resumes/a.jpg"]
    head = bucket.client.head_object(Bucket=bucket.name, Key=f"{located}/resumes/a.jpg")
    assert (head["ContentType"], head["CacheControl"]) == (
        "image/jpeg",
        settings.IMAGE_CACHE_CONTROL,
    )
    assert bucket.get(f"{located}/resumes/a.jpg")[0] == b"jpeg bytes"


def test_put_many_writes_each_object_at_the_same_time(bucket, located, s3_calls):
    threads = []
    events = default_storage.connection.meta.client.meta.events

    def record_thread(**kwargs) -> None:
        threads.append(threading.current_thread().name)

    events.register("before-call.s3.PutObject", record_thread)
    try:
        names = default_storage.put_many(
            [
                NewObject("resumes/a.jpg", b"image", "image/jpeg"),
                NewObject("resumes/a_t.jpg", b"t", "image/jpeg"),
            ]
        )
    finally:
        events.unregister("before-call.s3.PutObject", record_thread)

    assert names == ["resumes/a.jpg", "resumes/a_t.jpg"]
    assert s3_calls == ["PutObject", "PutObject"]
    # Two threads, both on the one client whose events recorded them.
    assert len(set(threads)) == 2
    assert bucket.get(f"{located}/resumes/a.jpg")[0] == b"image"
    assert bucket.get(f"{located}/resumes/a_t.jpg")[0] == b"t"


def test_put_many_raises_the_first_error_once_every_write_has_ended(bucket):
    """A failure in one thread waits for the writes still running in the others, so that
    whoever deletes the objects after the error never races a write."""
    events = default_storage.connection.meta.client.meta.events

    def slow_image_failing_thumbnail(params, **kwargs) -> None:
        if params["Key"] == "resumes/a.jpg":
            time.sleep(0.3)
        else:
            raise OSError("the store failed")

    events.register("before-parameter-build.s3.PutObject", slow_image_failing_thumbnail)
    try:
        with pytest.raises(OSError, match="the store failed"):
            default_storage.put_many(
                [
                    NewObject("resumes/a.jpg", b"i", "image/jpeg"),
                    NewObject("resumes/a_t.jpg", b"t", "image/jpeg"),
                ]
            )
        assert bucket.object_keys() == ["resumes/a.jpg"]
    finally:
        events.unregister("before-parameter-build.s3.PutObject", slow_image_failing_thumbnail)


def test_put_many_keeps_the_request_budget_in_every_thread(bucket):
    objects = [NewObject(f"resumes/{n}.jpg", b"i", "image/jpeg") for n in range(3)]

    with request_budget(-1), pytest.raises(S3BudgetSpent):
        default_storage.put_many(objects)

    assert bucket.object_keys() == []


def test_delete_is_one_delete_object_and_a_missing_key_is_no_error(bucket, located, s3_calls):
    default_storage.put("uploads/1/a.png", b"png", "image/png")
    s3_calls.clear()

    default_storage.delete("uploads/1/a.png")
    default_storage.delete("uploads/1/never-written.png")

    assert s3_calls == ["DeleteObject", "DeleteObject"]
    assert bucket.object_keys() == []


def test_read_returns_the_bytes_or_none(bucket, located):
    bucket.client.put_object(Bucket=bucket.name, Key=f"{located}/uploads/1/a.png", Body=b"png")

    assert default_storage.read("uploads/1/a.png", max_bytes=10) == b"png"
    assert default_storage.read("uploads/1/missing.png", max_bytes=10) is None


def test_read_refuses_an_object_over_max_bytes_by_its_length(bucket):
    bucket.client.put_object(Bucket=bucket.name, Key="uploads/1/a.png", Body=b"x" * 11)

    with pytest.raises(ObjectTooLarge) as too_large:
        default_storage.read("uploads/1/a.png", max_bytes=10)

    assert too_large.value.size == 11


def test_put_file_writes_a_file_in_parts_under_the_location(bucket, located, s3_calls, tmp_path):
    # Past boto3's multipart threshold (8 MiB): no part of it needs to be in memory at once.
    data = bytes(range(256)) * (9 * 4096)
    path = tmp_path / "export.zip"
    path.write_bytes(data)

    with path.open("rb") as file:
        file.seek(100)  # written from its start whatever was read of it
        name = default_storage.put_file("exports/1/a.zip", file, "application/zip", "no-store")

    assert name == "exports/1/a.zip"
    assert "CreateMultipartUpload" in s3_calls
    key = f"{located}/exports/1/a.zip"
    assert bucket.get(key) == (data, "application/zip")
    assert bucket.client.head_object(Bucket=bucket.name, Key=key)["CacheControl"] == "no-store"


def test_stream_reads_an_object_or_answers_none(bucket, located):
    bucket.client.put_object(Bucket=bucket.name, Key=f"{located}/resumes/a.jpg", Body=b"jpeg")

    with default_storage.stream("resumes/a.jpg") as stored:
        assert stored.read() == b"jpeg"
    assert default_storage.stream("resumes/missing.jpg") is None


def test_listing_names_are_relative_to_the_location(bucket, located):
    for key in [
        f"{located}/resumes/a.jpg",
        f"{located}/resumes/1/b.jpg",
        f"{located}/avatars/c.jpg",
        "resumes/outside.jpg",
    ]:
        bucket.client.put_object(Bucket=bucket.name, Key=key, Body=b"12345")

    listed = list(default_storage.listing("resumes/"))

    assert sorted(obj.name for obj in listed) == ["resumes/1/b.jpg", "resumes/a.jpg"]
    assert {obj.size for obj in listed} == {5}
    assert all(isinstance(obj.last_modified, datetime) for obj in listed)


def test_presigned_post_and_signed_url_name_the_full_key(bucket, located):
    form = default_storage.presigned_post("uploads/1/a.jpg", "image/jpeg", 1234, 300)
    url = urlsplit(default_storage.signed_url("resumes/a.jpg", 60))

    assert form["fields"]["key"] == f"{located}/uploads/1/a.jpg"
    assert url.path.endswith(f"/{located}/resumes/a.jpg")
    assert parse_qs(url.query)["X-Amz-Expires"] == ["60"]


@pytest.mark.parametrize(
    ("download_as", "disposition"),
    [
        ("ada-lovelace.pdf", 'attachment; filename="ada-lovelace.pdf"'),
        ("Ada Lovelace.pdf", 'attachment; filename="Ada Lovelace.pdf"'),
        (
            "Лавлейс.pdf",
            "attachment; filename*=utf-8''%D0%9B%D0%B0%D0%B2%D0%BB%D0%B5%D0%B9%D1%81.pdf",
        ),
    ],
)
def test_a_signed_url_can_download_as_a_named_attachment(bucket, download_as, disposition):
    url = urlsplit(default_storage.signed_url("pdfs/a.pdf", 60, download_as=download_as))

    query = parse_qs(url.query)
    assert query["response-content-disposition"] == [disposition]
    assert query["response-content-type"] == ["application/pdf"]
    assert query["X-Amz-Expires"] == ["60"]


def test_url_signing_and_description_follow_the_options(bucket, settings):
    assert default_storage.signs_urls
    assert repr(settings.STORAGES["default"]["OPTIONS"]["bucket_name"]) in (
        default_storage.description
    )

    point_storage_at(settings, None, custom_domain="images.example.com")

    assert not default_storage.signs_urls
    assert default_storage.url("resumes/a.jpg") == "https://images.example.com/resumes/a.jpg"


def test_the_url_origin_is_where_its_urls_point(bucket, settings, s3_calls):
    name = settings.STORAGES["default"]["OPTIONS"]["bucket_name"]
    assert default_storage.url_origin() == f"https://{name}.s3.amazonaws.com"
    assert s3_calls == []  # made locally

    point_storage_at(settings, "http://127.0.0.1:9000")
    assert default_storage.url_origin() == "http://127.0.0.1:9000"
    assert default_storage.signed_url("resumes/a.jpg", 60).startswith("http://127.0.0.1:9000/")

    point_storage_at(settings, None, custom_domain="images.example.com")
    assert default_storage.url_origin() == "https://images.example.com"


# --- local disk ----------------------------------------------------------------------------


@pytest.fixture
def disk(tmp_path) -> LocalStorage:
    return LocalStorage(location=tmp_path, base_url="/media/")


def test_local_put_read_and_listing(disk, tmp_path):
    name = disk.put("resumes/a.jpg", b"jpeg bytes", "image/jpeg")
    disk.put("resumes/1/b.jpg", b"12", "image/jpeg")

    assert name == "resumes/a.jpg"
    assert (tmp_path / "resumes" / "a.jpg").read_bytes() == b"jpeg bytes"
    assert disk.read("resumes/a.jpg", max_bytes=10) == b"jpeg bytes"
    assert disk.read("resumes/missing.jpg", max_bytes=10) is None
    with pytest.raises(ObjectTooLarge):
        disk.read("resumes/a.jpg", max_bytes=5)
    listed = {obj.name: obj.size for obj in disk.listing("resumes/")}
    assert listed == {"resumes/a.jpg": 10, "resumes/1/b.jpg": 2}
    assert list(disk.listing("avatars/")) == []


def test_local_put_many_writes_each_file(disk, tmp_path):
    names = disk.put_many(
        [
            NewObject("resumes/a.jpg", b"a", "image/jpeg"),
            NewObject("resumes/b.jpg", b"b", "image/jpeg"),
        ]
    )

    assert names == ["resumes/a.jpg", "resumes/b.jpg"]
    assert [(tmp_path / "resumes" / n).read_bytes() for n in ("a.jpg", "b.jpg")] == [b"a", b"b"]


def test_local_put_file_and_stream(disk, tmp_path):
    source = tmp_path / "source.zip"
    source.write_bytes(b"zip bytes")

    with source.open("rb") as file:
        file.seek(4)
        name = disk.put_file("exports/1/a.zip", file, "application/zip", "no-store")

    assert name == "exports/1/a.zip"
    with disk.stream(name) as stored:
        assert stored.read() == b"zip bytes"
    assert disk.stream("exports/1/missing.zip") is None


def test_local_urls_are_plain_and_direct_uploads_unavailable(disk, tmp_path):
    assert disk.url_origin() is None  # the site's own
    assert LocalStorage(location=tmp_path, base_url="https://media.example/m/").url_origin() == (
        "https://media.example"
    )
    assert not disk.signs_urls
    assert disk.signed_url("resumes/a.jpg", 60) == "/media/resumes/a.jpg"
    # Served by whatever serves MEDIA_URL, which names no attachment.
    assert disk.signed_url("pdfs/a.pdf", 60, download_as="a.pdf") == "/media/pdfs/a.pdf"
    assert str(tmp_path) in disk.description
    with pytest.raises(DirectUploadUnavailable, match="local disk"):
        disk.presigned_post("uploads/1/a.jpg", "image/jpeg", 10, 300)
