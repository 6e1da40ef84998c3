"""A public résumé's images: links on the public endpoint that check the share link at every
request and redirect to a short-lived URL, so that revoking a link stops its images at once."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from rest_framework.throttling import ScopedRateThrottle

from resumes.models import Resume
from tests.support.api import public
from tests.support.uploads import image_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cleared_throttle_counts")]


@pytest.fixture
def shared(api) -> dict:
    """Alice's public résumé with a photo, as its owner sees it."""
    response = api.post(
        "/api/resumes/", {"title": "Engineer", "image": image_upload()}, format="multipart"
    )
    assert response.status_code == 201
    resume = response.json()
    assert api.patch(f"/api/resumes/{resume['id']}/", {"is_public": True}).status_code == 200
    return resume


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_the_public_answer_links_to_its_own_redirects_and_is_not_cached(anon, shared):
    response = anon.get(public(shared["share_slug"]))

    body = response.json()
    link = f"http://testserver{public(shared['share_slug'])}"
    assert body["image"] == f"{link}image/"
    assert body["image_thumbnail"] == f"{link}image/thumbnail/"
    assert body["content"]["basics"]["image"] == body["image"]
    # No presigned URL in the answer: nothing in it outlives the link.
    assert "X-Amz-Signature" not in response.content.decode()
    assert response["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize(("path", "field"), [("image/", "image"), ("image/thumbnail/", "thumb")])
def test_the_redirect_points_at_a_url_signed_for_a_short_time(anon, shared, settings, path, field):
    settings.PUBLIC_IMAGE_URL_EXPIRE_SECONDS = 60
    stored = Resume.objects.get()
    key = stored.image.name if field == "image" else stored.image_thumbnail.name

    response = anon.get(public(shared["share_slug"]) + path)

    assert response.status_code == 302
    target = response["Location"]
    assert urlsplit(target).path.endswith(f"/{key}")
    assert query(target)["X-Amz-Expires"] == ["60"]
    assert response["Cache-Control"] == "private, max-age=30"


def test_revoking_the_link_stops_its_images_at_once(api, anon, shared):
    image = public(shared["share_slug"]) + "image/"
    thumbnail = public(shared["share_slug"]) + "image/thumbnail/"
    assert anon.get(image).status_code == 302

    api.patch(f"/api/resumes/{shared['id']}/", {"is_public": False}, format="json")

    assert anon.get(image).status_code == 404
    assert anon.get(thumbnail).status_code == 404
    assert anon.get(image).json() == {"detail": "No Resume matches the given query."}


def test_a_new_share_link_stops_the_old_links_images(api, anon, shared):
    old = public(shared["share_slug"]) + "image/"

    new_slug = api.post(f"/api/resumes/{shared['id']}/share-link/").json()["share_slug"]

    assert anon.get(old).status_code == 404
    assert anon.get(public(new_slug) + "image/").status_code == 302


def test_a_resume_without_an_image_has_no_image_links(api, anon, shared):
    api.patch(f"/api/resumes/{shared['id']}/", {"image": None}, format="json")

    body = anon.get(public(shared["share_slug"])).json()
    response = anon.get(public(shared["share_slug"]) + "image/")

    assert (body["image"], body["image_thumbnail"]) == (None, None)
    assert response.status_code == 404
    assert response.json() == {"detail": "This résumé has no image."}


def test_the_redirects_are_rate_limited_with_the_public_view(anon, shared, monkeypatch):
    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {**ScopedRateThrottle.THROTTLE_RATES, "public_resume": "3/minute"},
    )
    base = public(shared["share_slug"])

    statuses = [anon.get(base + path).status_code for path in ("", "image/", "image/thumbnail/")]
    throttled = anon.get(base + "image/")

    assert statuses == [200, 302, 302]
    assert throttled.status_code == 429


def test_on_local_disk_the_redirect_goes_to_the_media_url(api, anon, local_disk):
    created = api.post(
        "/api/resumes/", {"title": "Local", "image": image_upload()}, format="multipart"
    ).json()
    api.patch(f"/api/resumes/{created['id']}/", {"is_public": True}, format="json")

    response = anon.get(public(created["share_slug"]) + "image/")

    assert response.status_code == 302
    assert response["Location"] == f"http://testserver/media/{Resume.objects.get().image.name}"


@pytest.mark.s3_server
def test_the_redirect_target_serves_the_stored_bytes(anon, shared, bucket):
    stored = Resume.objects.get()
    redirect = anon.get(public(shared["share_slug"]) + "image/thumbnail/")

    image = requests.get(redirect["Location"], timeout=10)

    assert redirect.status_code == 302
    assert image.status_code == 200
    assert image.content == bucket.get(stored.image_thumbnail.name)[0]
