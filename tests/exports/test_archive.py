"""What an export's zip holds: every résumé as the export endpoint's JSON Resume document
(its image beside it), each image and the avatar byte for byte as stored, and the profile."""

import json
import re
import zipfile

import orjson
import pytest

from exports.archive import write_archive
from exports.models import AccountExport
from profiles.models import Profile
from resumes.json_resume import JSONResumeSerializer
from resumes.models import Resume
from tests.exports.conftest import opened
from tests.factories import ResumeFactory
from tests.support.api import client_for
from tests.support.json_resume import schema_errors

pytestmark = pytest.mark.django_db

EXPORT_KEY = re.compile(r"exports/(\d+)/[0-9a-f]{32}\.zip")


@pytest.fixture
def archive(holdings, bucket) -> zipfile.ZipFile:
    export = AccountExport.objects.get(user_id=holdings.user_id)
    assert export.status == AccountExport.Status.READY
    return opened(bucket, export)


def test_the_export_is_stored_under_the_accounts_own_key(holdings, bucket):
    export = AccountExport.objects.get(user_id=holdings.user_id)

    assert EXPORT_KEY.fullmatch(export.file.name).group(1) == str(holdings.user_id)
    head = bucket.client.head_object(Bucket=bucket.name, Key=export.file.name)
    assert head["ContentType"] == "application/zip"
    assert head["CacheControl"] == "private, no-store"


def test_the_zip_holds_the_profile_the_avatar_and_each_resume_with_its_image(archive):
    assert sorted(archive.namelist()) == [
        "avatar.webp",
        "profile.json",
        "resumes/1-ada-lovelace-analyst.jpg",
        "resumes/1-ada-lovelace-analyst.json",
        "resumes/2-second-draft.json",
        "resumes/2-second-draft.png",
        "resumes/3-no-photo.json",
    ]
    assert archive.testzip() is None


def test_images_and_the_avatar_are_the_stored_bytes(user, archive, bucket):
    first, second, _none = Resume.objects.filter(owner=user).order_by("created_at", "id")
    avatar = Profile.objects.get(user=user).avatar.name

    assert archive.read("resumes/1-ada-lovelace-analyst.jpg") == bucket.get(first.image.name)[0]
    assert archive.read("resumes/2-second-draft.png") == bucket.get(second.image.name)[0]
    assert archive.read("avatar.webp") == bucket.get(avatar)[0]


def test_each_document_is_the_export_endpoints_with_its_image_beside_it(user, archive):
    client = client_for(user)
    resumes = Resume.objects.filter(owner=user).order_by("created_at", "id")
    members = ["1-ada-lovelace-analyst", "2-second-draft", "3-no-photo"]
    for resume, member in zip(resumes, members, strict=True):
        document = json.loads(archive.read(f"resumes/{member}.json"))
        exported = client.get(f"/api/resumes/{resume.pk}/export/").json()

        image = document.get("basics", {}).pop("image", None)
        exported.get("basics", {}).pop("image", None)
        assert document == exported
        assert image == (f"{member}{resume.image.name[-4:]}" if resume.image else None)
        assert schema_errors(document) == []
        assert JSONResumeSerializer(data=document).is_valid()


def test_the_profile_holds_the_account_the_profile_and_each_resumes_own_fields(user, archive):
    profile = json.loads(archive.read("profile.json"))

    assert profile["account"] == {
        "username": "alice",
        "email": "alice@example.com",
        "email_verified": False,
        "date_joined": user.date_joined.isoformat().replace("+00:00", "Z"),
    }
    assert profile["profile"]["display_name"] == "Ada"
    assert profile["profile"]["avatar"] == "avatar.webp"
    assert [entry["title"] for entry in profile["resumes"]] == [
        "Ada Lovelace – Analyst",
        "Second draft",
        "No photo",
    ]
    assert profile["resumes"][1] | {"created_at": None, "updated_at": None} == {
        "title": "Second draft",
        "summary": "Shorter",
        "theme": "classic",
        "is_public": False,
        "allow_search_indexing": False,
        "created_at": None,
        "updated_at": None,
        "document": "resumes/2-second-draft.json",
        "image": "resumes/2-second-draft.png",
    }
    assert profile["resumes"][2]["image"] is None


def test_a_missing_stored_image_is_left_out_not_pointed_at(user, bucket, tmp_path):
    ResumeFactory(owner=user, title="Lost", image="resumes/gone.jpg", image_thumbnail="x.jpg")
    path = tmp_path / "export.zip"

    with path.open("w+b") as file:
        write_archive(user, file, max_bytes=10**6)

    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["profile.json", "resumes/1-lost.json"]
        assert "image" not in orjson.loads(archive.read("resumes/1-lost.json")).get("basics", {})
        assert orjson.loads(archive.read("profile.json"))["resumes"][0]["image"] is None


def test_titles_without_letters_and_equal_titles_get_distinct_names(user, tmp_path):
    for title in ("???", "Same", "Same"):
        ResumeFactory(owner=user, title=title)
    path = tmp_path / "export.zip"

    with path.open("w+b") as file:
        write_archive(user, file, max_bytes=10**6)

    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == [
            "profile.json",
            "resumes/1-resume.json",
            "resumes/2-same.json",
            "resumes/3-same.json",
        ]
