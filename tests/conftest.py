import copy
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws
from PIL import Image
from rest_framework.test import APIClient

from users.models import User

PASSWORD = "correct-horse-battery-staple-42"


@dataclass
class Bucket:
    """The moto bucket behind the default storage, read the way a client would."""

    client: Any
    name: str

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(obj["Key"] for obj in listing.get("Contents", []))

    def get(self, key: str) -> tuple[bytes, str]:
        obj = self.client.get_object(Bucket=self.name, Key=key)
        return obj["Body"].read(), obj["ContentType"]


@pytest.fixture(autouse=True)
def bucket(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bucket]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        name = django_settings.STORAGES["default"]["OPTIONS"]["bucket_name"]
        client.create_bucket(Bucket=name)
        # A new STORAGES value makes Django rebuild default_storage inside this mock.
        settings.STORAGES = copy.deepcopy(settings.STORAGES)
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
