"""Django's admin site: changelists, image thumbnails, staff only."""

import pytest

from resumes.models import Resume
from tests.factories import PASSWORD
from tests.support.uploads import image_upload
from users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    # force_login: django-axes requires the request that Client.login() does not pass.
    client.force_login(User.objects.create_superuser("root", "root@example.com", PASSWORD))
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/users/user/",
        "/admin/profiles/profile/",
        "/admin/resumes/resume/",
        "/admin/users/user/?q=alice&is_staff__exact=0",
        "/admin/resumes/resume/?q=Engineer",
        "/admin/profiles/profile/?q=alice",
    ],
)
def test_admin_changelists_render(staff_client, api, path):
    api.post("/api/resumes/", {"title": "Engineer", "image": image_upload()}, format="multipart")
    api.patch("/api/profiles/me/", {"avatar": image_upload()}, format="multipart")

    response = staff_client.get(path)

    assert response.status_code == 200


def test_admin_shows_image_thumbnails(staff_client, api, bucket):
    api.post("/api/resumes/", {"title": "Engineer", "image": image_upload()}, format="multipart")
    resume = Resume.objects.get()

    changelist = staff_client.get("/admin/resumes/resume/").content.decode()
    change = staff_client.get(f"/admin/resumes/resume/{resume.pk}/change/").content.decode()

    assert f"{bucket.name}.s3.amazonaws.com/{resume.image.name}" in changelist
    assert "<img" in changelist
    assert (
        f'src="https://{bucket.name}.s3.amazonaws.com/{resume.image_thumbnail.name}?' in changelist
    )
    assert f"/{resume.image.name}?" in change


def test_admin_requires_staff(client, user):
    client.force_login(user)

    response = client.get("/admin/resumes/resume/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
