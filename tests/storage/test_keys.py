"""Stored image keys are `<prefix>/<uuid4 hex>[_thumb].<ext>`: nothing in a URL on a public
page tells whose image it is or how many accounts exist."""

import io
import re

import pytest
from django.core.management import call_command

from profiles.models import Profile
from resumes.models import Resume
from tests.support.uploads import image_upload

pytestmark = pytest.mark.django_db

KEY = r"{prefix}/[0-9a-f]{{32}}(_thumb)?\.jpg"


def test_resume_image_keys_carry_no_owner_id(api, bucket):
    response = api.post(
        "/api/resumes/", {"title": "Engineer", "image": image_upload()}, format="multipart"
    )

    assert response.status_code == 201
    resume = Resume.objects.get()
    keys = bucket.object_keys()
    assert keys == sorted([resume.image.name, resume.image_thumbnail.name])
    assert all(re.fullmatch(KEY.format(prefix="resumes"), key) for key in keys), keys


def test_avatar_keys_carry_no_owner_id(api, user, bucket):
    response = api.patch("/api/profiles/me/", {"avatar": image_upload()}, format="multipart")

    assert response.status_code == 200
    profile = Profile.objects.get(user=user)
    keys = bucket.object_keys()
    assert keys == sorted([profile.avatar.name, profile.avatar_thumbnail.name])
    assert all(re.fullmatch(KEY.format(prefix="avatars"), key) for key in keys), keys


def test_the_orphan_sweep_finds_unreferenced_keys_of_the_new_layout(api, bucket):
    api.post("/api/resumes/", {"title": "kept", "image": image_upload()}, format="multipart")
    referenced = set(bucket.object_keys())
    orphan = "resumes/0123456789abcdef0123456789abcdef.jpg"
    bucket.client.put_object(Bucket=bucket.name, Key=orphan, Body=b"orphan")

    output = io.StringIO()
    call_command("cleanup_orphans", "--delete", "--older-than", "0", stdout=output)

    assert f"deleted {orphan} (6 bytes)" in output.getvalue()
    assert set(bucket.object_keys()) == referenced
