import copy
import io
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws
from PIL import Image
from rest_framework.test import APIClient

from devtools import ceph_rgw
from devtools.ceph_rgw import LiveS3
from devtools.moto_s3 import ACCESS_KEY, SECRET_KEY, create_bucket, local_s3
from users.models import User

PASSWORD = "correct-horse-battery-staple-42"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "real_s3: runs only against the real S3 server (Ceph RGW), for what moto does not check",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `s3_server` run twice: against moto's server and against a real S3 server
    (Ceph RGW), which checks presigned policies and signatures as AWS does."""
    if metafunc.definition.get_closest_marker("real_s3"):
        metafunc.parametrize("bucket", ["ceph"], indirect=True)
    elif metafunc.definition.get_closest_marker("s3_server"):
        metafunc.parametrize("bucket", ["moto", "ceph"], indirect=True)


@pytest.fixture(scope="session")
def real_s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveS3]:
    """The real S3 server: the one the environment names (LIVE_S3_ENDPOINT_URL,
    LIVE_S3_ACCESS_KEY_ID, LIVE_S3_SECRET_ACCESS_KEY; CI starts Ceph RGW), else Ceph RGW started
    here (about 10 s) when Debian's Ceph packages are installed. Without either, its tests are
    skipped, and fail under CI: they must not pass by not running."""
    live = LiveS3.from_environment()
    if live is not None:
        yield live
        return
    if ceph_rgw.missing_programs():
        reason = (
            "no real S3 server: set LIVE_S3_ENDPOINT_URL, LIVE_S3_ACCESS_KEY_ID and "
            "LIVE_S3_SECRET_ACCESS_KEY (`python -m devtools.ceph_rgw start --dir DIR` prints "
            f"them), or install {' '.join(ceph_rgw.PACKAGES)} for the suite to start Ceph RGW"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with ceph_rgw.ceph_rgw(tmp_path_factory.mktemp("ceph")) as live:
        yield live


@dataclass
class Bucket:
    """The bucket behind the default storage, read the way a client would."""

    client: Any
    name: str

    def object_keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(obj["Key"] for obj in listing.get("Contents", []))

    def get(self, key: str) -> tuple[bytes, str]:
        obj = self.client.get_object(Bucket=self.name, Key=key)
        return obj["Body"].read(), obj["ContentType"]

    def image(self, key: str) -> Image.Image:
        return Image.open(io.BytesIO(self.get(key)[0]))


def stored_keys(instance: Any, field: str) -> list[str]:
    """The keys of an image field and its thumbnail, as the bucket lists them."""
    return sorted([getattr(instance, field).name, getattr(instance, f"{field}_thumbnail").name])


def _storages_with(settings: Any, **options: Any) -> dict:
    storages = copy.deepcopy(settings.STORAGES)
    storages["default"]["OPTIONS"].update(options)
    return storages


def point_storage_at(settings: Any, endpoint_url: str, **options: Any) -> None:
    """Send the default storage's S3 calls to `endpoint_url` (path-style addressing);
    `options` (bucket_name, access_key, ...) replace the storage's own."""
    client_config = settings.STORAGES["default"]["OPTIONS"]["client_config"]
    settings.STORAGES = _storages_with(
        settings,
        endpoint_url=endpoint_url,
        client_config=client_config.merge(BotoConfig(s3={"addressing_style": "path"})),
        **options,
    )


def _empty_and_delete(bucket: Bucket) -> None:
    for key in bucket.object_keys():
        bucket.client.delete_object(Bucket=bucket.name, Key=key)
    bucket.client.delete_bucket(Bucket=bucket.name)


@pytest.fixture(autouse=True)
def bucket(request: pytest.FixtureRequest, settings: Any) -> Iterator[Bucket]:
    """The default storage's bucket: moto in-process; for tests marked `s3_server` (where a
    real HTTP client must reach S3), moto's HTTP server and then a new bucket on the real S3
    server (Ceph RGW), deleted after the test."""
    name = django_settings.STORAGES["default"]["OPTIONS"]["bucket_name"]
    server = getattr(request, "param", None)
    if server == "moto":
        with local_s3(name) as s3:
            point_storage_at(
                settings, s3.endpoint_url, access_key=ACCESS_KEY, secret_key=SECRET_KEY
            )
            yield Bucket(client=s3.client(), name=name)
        return
    if server == "ceph":
        live: LiveS3 = request.getfixturevalue("real_s3")
        real = Bucket(client=live.client(), name=f"{name}-{uuid.uuid4().hex[:12]}")
        create_bucket(real.client, real.name)
        point_storage_at(
            settings,
            live.endpoint_url,
            bucket_name=real.name,
            access_key=live.access_key,
            secret_key=live.secret_key,
            region_name=live.region,
        )
        try:
            yield real
        finally:
            _empty_and_delete(real)
        return
    # moto intercepts every botocore client created after it was imported, so the client and
    # Django's default storage are built once, not per test: building one loads botocore's
    # S3 model, about 0.1-0.3 s. Each test still starts from an empty in-process S3.
    client = request.getfixturevalue("in_process_s3_client")
    with mock_aws():
        client.create_bucket(Bucket=name)
        yield Bucket(client=client, name=name)


@pytest.fixture(scope="session")
def in_process_s3_client() -> Any:
    return boto3.client(
        "s3",
        region_name=django_settings.STORAGES["default"]["OPTIONS"]["region_name"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), color: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def image_upload(
    name: str = "photo.jpg", fmt: str = "JPEG", content_type: str = "image/jpeg", **kwargs: Any
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(fmt, **kwargs), content_type=content_type)


def make_user(username: str = "alice", email: str | None = None) -> User:
    return User.objects.create_user(
        username=username, email=email or f"{username}@example.com", password=PASSWORD
    )


def client_for(user: User) -> APIClient:
    from rest_framework_simplejwt.tokens import RefreshToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def user(db: None) -> User:
    return make_user("alice")


@pytest.fixture
def other_user(db: None) -> User:
    return make_user("mallory")


@pytest.fixture
def api(user: User) -> APIClient:
    return client_for(user)


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


def public(slug: str) -> str:
    """The public résumé endpoint of a share slug."""
    return f"/api/public/resumes/{slug}/"


@pytest.fixture
def cleared_throttle_counts() -> Iterator[None]:
    """Throttle counts (in the cache) start from zero and are not left to other tests."""
    cache.clear()
    yield
    cache.clear()
