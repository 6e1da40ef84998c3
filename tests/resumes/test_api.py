import io
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from resumes.attachments import RESUME_IMAGE
from resumes.models import Resume
from tests.support.api import client_for
from tests.support.s3 import stored_keys
from tests.support.uploads import image_bytes, image_upload

# Replaced objects are deleted by on-commit callbacks, which the test clients run at the
# end of each request (tests/support/api.py).
pytestmark = pytest.mark.django_db

LIST = "/api/resumes/"


def detail(resume_id: int) -> str:
    return f"/api/resumes/{resume_id}/"


def create(client, **fields):
    return client.post(LIST, {"title": "Engineer", **fields}, format="multipart")


def key_of(url: str) -> str:
    """The object key in a presigned S3 URL (virtual-hosted style)."""
    return urlparse(url).path.lstrip("/")


# --- create -------------------------------------------------------------------


def test_create_with_image_stores_the_object_in_the_bucket(api, user, bucket):
    upload = image_bytes("PNG")
    response = create(
        api,
        summary="Ten years of Django",
        image=SimpleUploadedFile("me.png", upload, content_type="image/png"),
    )

    assert response.status_code == 201
    body = response.json()
    assert body["owner"] == "alice"
    assert body["title"] == "Engineer"
    resume = Resume.objects.get(pk=body["id"])
    assert resume.owner == user
    assert resume.image.name.startswith("resumes/")
    assert bucket.object_keys() == stored_keys(resume, RESUME_IMAGE)
    _, content_type = bucket.get(resume.image.name)
    assert content_type == "image/png"
    stored = bucket.image(resume.image.name)
    assert stored.format == "PNG"
    assert stored.tobytes() == Image.open(io.BytesIO(upload)).tobytes()  # lossless re-encode


def test_create_returns_a_presigned_absolute_image_url(api, bucket):
    body = create(api, image=image_upload()).json()

    url = urlparse(body["image"])
    assert url.scheme == "https"
    assert url.netloc == f"{bucket.name}.s3.amazonaws.com"
    assert url.path.lstrip("/") == Resume.objects.get().image.name
    query = parse_qs(url.query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == ["3600"]
    assert "X-Amz-Signature" in query


def test_create_with_json_and_no_image(api, bucket):
    response = api.post(LIST, {"title": "Writer", "summary": "Words"}, format="json")

    assert response.status_code == 201
    assert response.json()["image"] is None
    assert bucket.object_keys() == []


def test_create_ignores_owner_and_id_in_body(api, user, other_user):
    response = api.post(
        LIST, {"title": "Mine", "owner": other_user.username, "id": 777}, format="json"
    )

    assert response.status_code == 201
    resume = Resume.objects.get()
    assert resume.owner == user
    assert resume.id != 777


def test_create_never_uses_the_client_file_name_as_key(api, bucket):
    create(api, image=image_upload(name="../../etc/passwd.jpg"))

    assert len(bucket.object_keys()) == 2
    for key in bucket.object_keys():
        assert "passwd" not in key and ".." not in key


def test_two_uploads_with_the_same_name_get_distinct_objects(api, bucket):
    create(api, image=image_upload(name="same.jpg", color="red"))
    create(api, image=image_upload(name="same.jpg", color="blue"))

    assert len(bucket.object_keys()) == 4  # two images, two thumbnails


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"title": ""}, "title"), ({"title": "x" * 201}, "title"), ({"summary": "no title"}, "title")],
)
def test_create_validation_errors_name_the_field(api, fields, field):
    response = api.post(LIST, fields, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Resume.objects.exists()


def test_create_with_a_non_image_is_400_and_stores_nothing(api, bucket):
    fake = SimpleUploadedFile("cv.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")

    response = create(api, image=fake)

    assert response.status_code == 400
    assert "image" in response.json()
    assert not Resume.objects.exists()
    assert bucket.object_keys() == []


def test_create_requires_authentication(anon, db, bucket):
    response = create(anon, image=image_upload())

    assert response.status_code == 401
    assert not Resume.objects.exists()
    assert bucket.object_keys() == []


# --- read ---------------------------------------------------------------------


def test_detail_returns_the_resume(api, user):
    resume = Resume.objects.create(owner=user, title="Mine", summary="About me")

    response = api.get(detail(resume.id))

    assert response.status_code == 200
    assert response.json()["title"] == "Mine"
    assert response.json()["summary"] == "About me"


def test_missing_resume_is_404(api):
    assert api.get(detail(123456)).status_code == 404


# --- ownership isolation --------------------------------------------------------


@pytest.fixture
def theirs(other_user, bucket):
    client = client_for(other_user)
    resume_id = create(client, title="Theirs", image=image_upload()).json()["id"]
    return Resume.objects.get(pk=resume_id)


def test_list_shows_only_the_callers_resumes(api, user, theirs):
    Resume.objects.create(owner=user, title="Mine")

    response = api.get(LIST)

    assert [r["title"] for r in response.json()["results"]] == ["Mine"]
    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("get", None),
        ("put", {"title": "Hijacked"}),
        ("patch", {"title": "Hijacked"}),
        ("delete", None),
    ],
)
def test_another_users_resume_is_404_and_untouched(api, theirs, bucket, method, body):
    keys_before = bucket.object_keys()

    response = getattr(api, method)(detail(theirs.id), body, format="json")

    assert response.status_code == 404
    assert "Theirs" not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"
    assert bucket.object_keys() == keys_before


def test_another_users_resume_image_cannot_be_replaced(api, theirs, bucket):
    keys_before = bucket.object_keys()

    response = api.patch(detail(theirs.id), {"image": image_upload()}, format="multipart")

    assert response.status_code == 404
    assert bucket.object_keys() == keys_before


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_detail_requires_authentication(anon, theirs, method):
    response = getattr(anon, method)(detail(theirs.id), {}, format="json")

    assert response.status_code == 401
    assert Resume.objects.filter(pk=theirs.pk).exists()


# --- update ---------------------------------------------------------------------


def test_patch_changes_only_the_given_fields(api, user):
    resume = Resume.objects.create(owner=user, title="Old", summary="Keep me")

    response = api.patch(detail(resume.id), {"title": "New"}, format="json")

    assert response.status_code == 200
    resume.refresh_from_db()
    assert (resume.title, resume.summary) == ("New", "Keep me")


def test_put_requires_the_title(api, user):
    resume = Resume.objects.create(owner=user, title="Old")

    response = api.put(detail(resume.id), {"summary": "only"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"title": ["This field is required."]}
    resume.refresh_from_db()
    assert resume.title == "Old"


def test_invalid_update_returns_errors_not_data(api, user):
    resume = Resume.objects.create(owner=user, title="Old")

    response = api.patch(detail(resume.id), {"title": "x" * 201}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"title"}
    assert "x" * 201 not in response.content.decode()


def test_replacing_the_image_deletes_the_old_object(api, bucket):
    created = create(api, image=image_upload(color="red")).json()
    old_keys = bucket.object_keys()
    new_bytes = image_bytes("PNG", color="blue")

    response = api.patch(
        detail(created["id"]),
        {"image": SimpleUploadedFile("new.png", new_bytes, content_type="image/png")},
        format="multipart",
    )

    assert response.status_code == 200
    resume = Resume.objects.get()
    assert bucket.object_keys() == stored_keys(resume, RESUME_IMAGE)
    assert set(bucket.object_keys()).isdisjoint(old_keys)
    assert bucket.get(resume.image.name)[1] == "image/png"
    assert bucket.image(resume.image.name).getpixel((0, 0)) == (0, 0, 255)


def test_put_replaces_fields_and_image(api, bucket):
    created = create(api, summary="old", image=image_upload(color="red")).json()

    response = api.put(
        detail(created["id"]),
        {"title": "Replaced", "summary": "new", "image": image_upload(color="green")},
        format="multipart",
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Replaced"
    assert bucket.object_keys() == stored_keys(Resume.objects.get(), RESUME_IMAGE)


def test_patch_without_image_keeps_the_image(api, bucket):
    created = create(api, image=image_upload()).json()
    keys = bucket.object_keys()

    api.patch(detail(created["id"]), {"title": "Renamed"}, format="multipart")

    assert bucket.object_keys() == keys == stored_keys(Resume.objects.get(), RESUME_IMAGE)


@pytest.mark.parametrize(("body", "fmt"), [({"image": None}, "json"), ({"image": ""}, "multipart")])
def test_removing_the_image_deletes_the_object(api, bucket, body, fmt):
    created = create(api, image=image_upload()).json()

    response = api.patch(detail(created["id"]), body, format=fmt)

    assert response.status_code == 200
    assert response.json()["image"] is None
    assert bucket.object_keys() == []
    assert not Resume.objects.get().image


def test_invalid_replacement_keeps_the_old_image(api, bucket):
    created = create(api, image=image_upload()).json()
    keys_before = bucket.object_keys()
    junk = SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")

    response = api.patch(detail(created["id"]), {"image": junk}, format="multipart")

    assert response.status_code == 400
    assert "image" in response.json()
    assert bucket.object_keys() == keys_before
    assert stored_keys(Resume.objects.get(), RESUME_IMAGE) == keys_before


# --- delete ---------------------------------------------------------------------


def test_delete_removes_the_row_and_its_object(api, bucket):
    created = create(api, image=image_upload()).json()
    assert len(bucket.object_keys()) == 2

    response = api.delete(detail(created["id"]))

    assert response.status_code == 204
    assert not Resume.objects.exists()
    assert bucket.object_keys() == []


def test_delete_without_image(api, user):
    resume = Resume.objects.create(owner=user, title="Plain")

    assert api.delete(detail(resume.id)).status_code == 204
    assert not Resume.objects.exists()


# --- list: pagination, search, ordering ---------------------------------------------


@pytest.fixture
def many(user):
    return Resume.objects.bulk_create(
        Resume(owner=user, title=f"Resume {n:02d}", summary="") for n in range(25)
    )


def test_list_is_paginated_with_20_by_default(api, many):
    body = api.get(LIST).json()

    assert body["count"] == 25
    assert len(body["results"]) == 20
    assert body["previous"] is None
    assert body["next"].startswith("http://testserver/api/resumes/?page=2")

    second = api.get(LIST, {"page": 2}).json()
    assert len(second["results"]) == 5
    assert second["next"] is None
    titles = {r["title"] for r in body["results"]} | {r["title"] for r in second["results"]}
    assert len(titles) == 25


def test_page_size_is_honoured_and_capped(api, user, many):
    assert len(api.get(LIST, {"page_size": 5}).json()["results"]) == 5
    Resume.objects.bulk_create(Resume(owner=user, title=f"More {n}") for n in range(100))

    response = api.get(LIST, {"page_size": 101})
    assert response.status_code == 400
    assert "page_size" in response.json()
    assert len(api.get(LIST, {"page_size": 100}).json()["results"]) == 100


@pytest.mark.parametrize("params", [{"page": 0}, {"page": "x"}, {"page_size": 0}])
def test_bad_page_parameters_are_400(api, many, params):
    response = api.get(LIST, params)

    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_page_past_the_end_is_404(api, many):
    assert api.get(LIST, {"page": 3}).status_code == 404


def test_search_matches_title_and_summary_case_insensitively(api, user):
    Resume.objects.create(owner=user, title="Python developer", summary="Django and DRF")
    Resume.objects.create(owner=user, title="Designer", summary="Figma, some PYTHON")
    Resume.objects.create(owner=user, title="Chef", summary="Pastry")

    def titles(search):
        return sorted(r["title"] for r in api.get(LIST, {"search": search}).json()["results"])

    assert titles("python") == ["Designer", "Python developer"]
    assert titles("python django") == ["Python developer"]
    assert titles("pastry") == ["Chef"]
    assert titles("nothing") == []


def test_search_does_not_leak_other_users_resumes(api, theirs):
    assert api.get(LIST, {"search": "Theirs"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [("title", ["Alpha", "Bravo", "Charlie"]), ("-title", ["Charlie", "Bravo", "Alpha"])],
)
def test_ordering_by_title(api, user, ordering, expected):
    for title in ("Bravo", "Charlie", "Alpha"):
        Resume.objects.create(owner=user, title=title)

    body = api.get(LIST, {"ordering": ordering}).json()

    assert [r["title"] for r in body["results"]] == expected


def test_default_and_explicit_ordering_by_dates(api, user):
    first = Resume.objects.create(owner=user, title="first")
    second = Resume.objects.create(owner=user, title="second")
    Resume.objects.filter(pk=first.pk).update(title="first, edited")  # updated_at unchanged

    def ids(**params):
        return [r["id"] for r in api.get(LIST, params).json()["results"]]

    assert ids() == [second.id, first.id]
    assert ids(ordering="created_at") == [first.id, second.id]
    assert ids(ordering="-created_at") == [second.id, first.id]
    api.patch(detail(first.id), {"summary": "touched"}, format="json")
    assert ids(ordering="-updated_at") == [first.id, second.id]


def test_unknown_ordering_is_400(api, many):
    response = api.get(LIST, {"ordering": "owner__password"})

    assert response.status_code == 400
    assert "ordering" in response.json()


def test_list_requires_authentication(anon, db):
    assert anon.get(LIST).status_code == 401


@pytest.mark.parametrize("huge", [str(2**63), "9" * 30])
def test_an_id_beyond_the_columns_range_is_a_404(api, huge):
    for path in (f"/api/resumes/{huge}/", f"/api/resumes/{huge}/pdf/"):
        response = api.get(path)
        assert response.status_code == 404, (path, response.content)
