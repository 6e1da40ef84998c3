import copy
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws
from PIL import Image
from rest_framework.test import APIClient

from devtools.moto_s3 import ACCESS_KEY, SECRET_KEY, local_s3
from users.models import User

PASSWORD = "correct-horse-battery-staple-42"


@dataclass
class Bucket:
    """The moto bucket behind the default storage, read the way a client would."""

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


def point_storage_at(settings: Any, endpoint_url: str) -> None:
    """Send the default storage's S3 calls to `endpoint_url` (path-style addressing)."""
    options = settings.STORAGES["default"]["OPTIONS"]
    settings.STORAGES = _storages_with(
        settings,
        endpoint_url=endpoint_url,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        client_config=options["client_config"].merge(BotoConfig(s3={"addressing_style": "path"})),
    )


@pytest.fixture(autouse=True)
def bucket(request: pytest.FixtureRequest, settings: Any) -> Iterator[Bucket]:
    """The default storage's bucket: moto in-process, or moto's HTTP server for tests
    marked `s3_server` (where a real HTTP client must reach S3)."""
    name = django_settings.STORAGES["default"]["OPTIONS"]["bucket_name"]
    if request.node.get_closest_marker("s3_server"):
        with local_s3(name) as s3:
            point_storage_at(settings, s3.endpoint_url)
            yield Bucket(client=s3.client(), name=name)
        return
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=name)
        # A new STORAGES value makes Django rebuild default_storage inside this mock.
        settings.STORAGES = _storages_with(settings)
        yield Bucket(client=client, name=name)


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
