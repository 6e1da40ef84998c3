"""Image files as a request uploads them (tests/support/images.py makes the unusual ones), and
direct uploads: a ticket from the API, the object put in the bucket as a browser would."""

import io
from typing import Any

import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from tests.support.s3 import Bucket

UPLOADS = "/api/uploads/"


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), color: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def image_upload(
    name: str = "photo.jpg", fmt: str = "JPEG", content_type: str = "image/jpeg", **kwargs: Any
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(fmt, **kwargs), content_type=content_type)


def issue(
    client: APIClient,
    purpose: str = "resume-image",
    content_type: str = "image/jpeg",
    size: int = 1000,
) -> dict[str, Any]:
    """A direct-upload ticket from the API (201), as its JSON."""
    response = client.post(
        UPLOADS, {"purpose": purpose, "content_type": content_type, "size": size}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def browser_post(
    ticket: dict[str, Any], data: bytes, content_type: str = "image/jpeg"
) -> requests.Response:
    """What the SPA does: a multipart POST of the form fields, then the file, to S3."""
    return requests.post(
        ticket["url"],
        data=ticket["fields"],
        files={"file": ("photo.jpg", data, content_type)},
        timeout=10,
    )


def put_staged(
    bucket: Bucket, ticket: dict[str, Any], data: bytes, content_type: str = "image/jpeg"
) -> None:
    """The ticket's object in the bucket, as if the browser had uploaded it."""
    bucket.client.put_object(
        Bucket=bucket.name, Key=ticket["key"], Body=data, ContentType=content_type
    )
