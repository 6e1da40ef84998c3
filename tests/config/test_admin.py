"""Django's admin site: changelists, image thumbnails, staff only."""

import pytest

from resumes.models import Resume
from tests.factories import PASSWORD, UserFactory
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


def test_admin_shows_sharing_theme_and_content(staff_client, user):
    hostile = "<script>alert(1)</script>"
    shared = Resume.objects.create(
        owner=user,
        title="Shared",
        is_public=True,
        theme="modern",
        content={"basics": {"name": hostile, "label": "Analyst"}},
    )
    private = Resume.objects.create(owner=user, title="Draft")

    changelist = staff_client.get("/admin/resumes/resume/").content.decode()
    change = staff_client.get(f"/admin/resumes/resume/{shared.pk}/change/").content.decode()
    draft = staff_client.get(f"/admin/resumes/resume/{private.pk}/change/").content.decode()

    assert "column-is_public" in changelist and "column-theme" in changelist
    page = f"/r/{shared.share_slug}/"
    assert f'<a href="{page}" target="_blank" rel="noopener">{page}</a>' in change
    # Pretty-printed and escaped.
    assert "{\n  &quot;basics&quot;: {\n    &quot;name&quot;: &quot;&lt;script&gt;" in change
    assert hostile not in change
    assert '<option value="modern" selected>Modern</option>' in change
    # "View on site" is the public page while there is one.
    assert f'<a href="{page}" class="viewsitelink">View on site</a>' in change
    assert "viewsitelink" not in draft
    assert f"/r/{private.share_slug}/ (private" in draft


def test_admin_view_site_leads_to_the_api_documentation(staff_client):
    index = staff_client.get("/admin/").content.decode()

    assert '<a href="/swagger/">View site</a>' in index
    assert staff_client.get("/swagger/").status_code == 200


def test_the_user_page_shows_and_filters_by_a_verified_address(staff_client):
    UserFactory(username="vera", email_verified=True)
    UserFactory(username="una")

    listing = staff_client.get("/admin/users/user/?email_verified__exact=1")
    change = staff_client.get(f"/admin/users/user/{User.objects.get(username='vera').pk}/change/")

    assert listing.status_code == 200
    assert "vera" in listing.content.decode() and "una" not in listing.content.decode()
    assert 'name="email_verified"' in change.content.decode()


def test_the_admin_says_what_it_did_on_the_next_page(staff_client, user):
    resume = Resume.objects.create(owner=user, title="To delete")

    response = staff_client.post(
        f"/admin/resumes/resume/{resume.pk}/delete/", {"post": "yes"}, follow=True
    )

    assert response.status_code == 200
    assert not Resume.objects.filter(pk=resume.pk).exists()
    assert "was deleted successfully" in response.content.decode()
