"""/api/profiles/me/: the caller's profile and avatar over HTTP."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from profiles.attachments import AVATAR
from profiles.models import Profile
from tests.support.s3 import stored_keys
from tests.support.uploads import image_bytes, image_upload

# Replaced avatars are deleted by on-commit callbacks, which the test clients run at the end of
# each request (tests/support/api.py).
pytestmark = pytest.mark.django_db

ME = "/api/profiles/me/"


def test_get_returns_the_callers_profile(api, user, other_user):
    Profile.objects.filter(user=other_user).update(display_name="Not me")
    Profile.objects.filter(user=user).update(display_name="Alice A.", headline="Engineer")

    response = api.get(ME)

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "alice"
    assert body["display_name"] == "Alice A."
    assert body["headline"] == "Engineer"
    assert body["avatar"] is None


def test_put_replaces_the_profile(api, user):
    body = {
        "display_name": "Alice",
        "headline": "Staff engineer",
        "bio": "Builds APIs.",
        "location": "Lisbon",
        "website": "https://alice.example.com",
    }

    response = api.put(ME, body, format="json")

    assert response.status_code == 200
    profile = Profile.objects.get(user=user)
    assert profile.location == "Lisbon"
    assert profile.website == "https://alice.example.com"


def test_patch_changes_one_field_and_ignores_read_only(api, user, other_user):
    response = api.patch(ME, {"bio": "Hello", "username": "mallory"}, format="json")

    assert response.status_code == 200
    profile = Profile.objects.get(user=user)
    assert profile.bio == "Hello"
    user.refresh_from_db()
    assert user.username == "alice"


def test_invalid_website_is_400_and_unchanged(api, user):
    response = api.patch(ME, {"website": "not a url", "bio": "changed?"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["website"]
    assert Profile.objects.get(user=user).bio == ""


def test_avatar_upload_lands_in_the_bucket(api, user, bucket):
    avatar = image_bytes("PNG", size=(32, 32))

    response = api.patch(
        ME,
        {"avatar": SimpleUploadedFile("a.png", avatar, content_type="image/png")},
        format="multipart",
    )

    assert response.status_code == 200
    profile = Profile.objects.get(user=user)
    key = profile.avatar.name
    assert key.startswith("avatars/")
    assert bucket.object_keys() == stored_keys(profile, AVATAR)
    assert bucket.get(key)[1] == "image/png"
    assert bucket.image(key).tobytes() == Image.open(io.BytesIO(avatar)).tobytes()
    assert response.json()["avatar"].startswith(f"https://{bucket.name}.s3.amazonaws.com/{key}?")
    thumbnail_key = profile.avatar_thumbnail.name
    assert response.json()["avatar_thumbnail"].startswith(
        f"https://{bucket.name}.s3.amazonaws.com/{thumbnail_key}?"
    )


def test_replacing_the_avatar_deletes_the_old_object(api, user, bucket):
    api.patch(ME, {"avatar": image_upload(color="red")}, format="multipart")
    old_keys = bucket.object_keys()

    api.patch(ME, {"avatar": image_upload(color="blue")}, format="multipart")

    assert bucket.object_keys() == stored_keys(Profile.objects.get(user=user), AVATAR)
    assert set(bucket.object_keys()).isdisjoint(old_keys)


@pytest.mark.parametrize(
    ("body", "fmt"), [({"avatar": None}, "json"), ({"avatar": ""}, "multipart")]
)
def test_removing_the_avatar_deletes_the_object(api, user, bucket, body, fmt):
    api.patch(ME, {"avatar": image_upload()}, format="multipart")
    assert len(bucket.object_keys()) == 2

    response = api.patch(ME, body, format=fmt)

    assert response.status_code == 200
    assert response.json()["avatar"] is None
    assert bucket.object_keys() == []
    assert not Profile.objects.get(user=user).avatar


def test_non_image_avatar_is_400_and_stores_nothing(api, user, bucket):
    text = SimpleUploadedFile("a.png", b"hello", content_type="image/png")

    response = api.patch(ME, {"avatar": text}, format="multipart")

    assert response.status_code == 400
    assert "avatar" in response.json()
    assert bucket.object_keys() == []
    assert not Profile.objects.get(user=user).avatar


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_profile_requires_authentication(anon, method):
    assert getattr(anon, method)(ME, {}, format="json").status_code == 401
