"""The image field of request bodies checks shape only: a file within IMAGE_MAX_BYTES. What the
bytes are is the service's to find out (tests/uploads/test_services.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework import serializers

from storage.fields import ImageUploadField


class Body(serializers.Serializer):
    image = ImageUploadField()


def errors(value: object) -> dict:
    body = Body(data={"image": value})
    body.is_valid()
    return body.errors


def test_any_file_within_the_limit_is_valid_shape():
    body = Body(data={"image": SimpleUploadedFile("a.jpg", b"not decoded here")})

    assert body.is_valid(), body.errors
    assert body.validated_data["image"].read() == b"not decoded here"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            SimpleUploadedFile("a.jpg", b"x" * (3 * 2**19)),
            "The file is too large (1.5 MiB); the limit is 1.0 MiB.",
        ),
        (SimpleUploadedFile("a.jpg", b""), "The file is empty."),
        ("a string", "The submitted data was not a file."),
    ],
    ids=["too large", "empty", "not a file"],
)
def test_a_value_of_the_wrong_shape_is_refused(settings, value, message):
    settings.IMAGE_MAX_BYTES = 2**20

    assert message in errors(value)["image"][0]


def test_null_removes_the_image():
    body = Body(data={"image": None})

    assert body.is_valid(), body.errors
    assert body.validated_data == {"image": None}
