"""Public share links over HTTP: GET /api/public/resumes/<share_slug>/ for anyone, while public."""

import json

import pytest
from rest_framework.throttling import ScopedRateThrottle

from resumes.models import Resume
from tests.support.api import client_for, public, public_page
from tests.support.uploads import image_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cleared_throttle_counts")]


LIST = "/api/resumes/"
DOCUMENT = {
    "basics": {"name": "Ada Lovelace", "label": "Analyst", "x-pronouns": "she/her"},
    "work": [{"name": "Analytical Engine Project", "startDate": "1842"}],
}


def detail(resume_id: int) -> str:
    return f"/api/resumes/{resume_id}/"


def share_link(resume_id: int) -> str:
    return f"/api/resumes/{resume_id}/share-link/"


@pytest.fixture
def resume(api) -> dict:
    """Alice's résumé, with an image and content; private, as every new résumé."""
    response = api.post(
        LIST,
        {
            "title": "Engineer",
            "summary": "Engines",
            "content": json.dumps(DOCUMENT),
            "image": image_upload(),
        },
        format="multipart",
    )
    assert response.status_code == 201
    return response.json()


def make_public(api, resume: dict) -> None:
    response = api.patch(detail(resume["id"]), {"is_public": True}, format="json")
    assert response.status_code == 200
    assert response.json()["is_public"] is True


def test_a_new_resume_is_private(anon, resume):
    assert resume["is_public"] is False

    response = anon.get(public(resume["share_slug"]))

    assert response.status_code == 404
    assert response.json() == {"detail": "No Resume matches the given query."}


def test_a_public_resume_is_served_without_a_token(api, anon, resume):
    make_public(api, resume)

    response = anon.get(public(resume["share_slug"]))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"title", "summary", "image", "image_thumbnail", "content", "updated_at"}
    assert (body["title"], body["summary"]) == ("Engineer", "Engines")
    # Image links go through the public endpoint, which redirects while the link is public.
    link = f"http://testserver{public(resume['share_slug'])}"
    assert body["image"] == f"{link}image/"
    assert body["image_thumbnail"] == f"{link}image/thumbnail/"
    # The content is the exported JSON Resume document: basics.image is the résumé's image.
    assert body["content"] == {
        **DOCUMENT,
        "basics": {**DOCUMENT["basics"], "image": body["image"]},
    }


def test_the_share_url_in_the_resume_is_the_public_page(api, anon, resume):
    make_public(api, resume)

    response = anon.get(resume["share_url"])

    assert resume["share_url"] == f"http://testserver{public_page(resume['share_slug'])}"
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>Ada Lovelace</h1>" in response.content.decode()


def test_the_public_view_leaks_nothing_about_the_owner(api, anon, user, resume):
    make_public(api, resume)

    text = anon.get(public(resume["share_slug"])).content.decode()

    assert user.username not in text
    assert user.email not in text
    for private_field in ("id", "owner", "share_slug", "share_url", "is_public", "created_at"):
        assert f'"{private_field}"' not in text


def test_a_bad_token_does_not_block_the_public_view(api, anon, resume):
    make_public(api, resume)
    anon.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    assert anon.get(public(resume["share_slug"])).status_code == 200


def test_making_it_private_again_hides_it(api, anon, resume):
    make_public(api, resume)

    api.patch(detail(resume["id"]), {"is_public": False}, format="json")

    assert anon.get(public(resume["share_slug"])).status_code == 404


def test_is_public_can_be_set_with_a_multipart_form(api, anon, resume):
    api.patch(detail(resume["id"]), {"is_public": "true"}, format="multipart")

    assert anon.get(public(resume["share_slug"])).status_code == 200


def test_regenerating_the_link_retires_the_old_one(api, anon, resume):
    make_public(api, resume)
    old_slug = resume["share_slug"]

    response = api.post(share_link(resume["id"]))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"is_public", "share_slug", "share_url"}
    assert body["is_public"] is True
    assert body["share_slug"] != old_slug
    assert body["share_url"] == f"http://testserver{public_page(body['share_slug'])}"
    assert Resume.objects.get().share_slug == body["share_slug"]
    assert anon.get(public(old_slug)).status_code == 404
    assert anon.get(public(body["share_slug"])).status_code == 200
    assert anon.get(public_page(old_slug)).status_code == 404
    assert anon.get(body["share_url"]).status_code == 200


def test_regenerating_keeps_a_private_resume_private(api, anon, resume):
    body = api.post(share_link(resume["id"])).json()

    assert body["is_public"] is False
    assert anon.get(public(body["share_slug"])).status_code == 404


@pytest.mark.parametrize("slug", ["unknown-slug", "x" * 300, "%00", "..%2F"])
def test_an_unknown_slug_is_404(anon, resume, slug):
    assert anon.get(public(slug)).status_code == 404


def test_share_slugs_are_unique_and_unguessable(api):
    slugs = {
        api.post(LIST, {"title": f"R{i}"}, format="json").json()["share_slug"] for i in range(20)
    }

    assert len(slugs) == 20
    assert all(len(slug) == 22 for slug in slugs)  # 16 random bytes, URL-safe base64


def test_another_users_resume_cannot_be_shared(api, other_user, resume):
    mallory = client_for(other_user)

    assert mallory.post(share_link(resume["id"])).status_code == 404
    assert (
        mallory.patch(detail(resume["id"]), {"is_public": True}, format="json").status_code == 404
    )
    assert mallory.get(f"/api/resumes/{resume['id']}/export/").status_code == 404
    stored = Resume.objects.get()
    assert (stored.share_slug, stored.is_public) == (resume["share_slug"], False)


def test_share_slug_cannot_be_chosen_by_the_owner(api, resume):
    response = api.patch(detail(resume["id"]), {"share_slug": "my-own-slug"}, format="json")

    assert response.status_code == 200
    assert Resume.objects.get().share_slug == resume["share_slug"]


def test_the_public_view_is_rate_limited(api, anon, resume, monkeypatch):
    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {**ScopedRateThrottle.THROTTLE_RATES, "public_resume": "3/minute"},
    )
    make_public(api, resume)

    statuses = [anon.get(public(resume["share_slug"])).status_code for _ in range(3)]
    # Unknown slugs count too: guessing links costs the same as reading one.
    throttled = anon.get(public("unknown-slug"))

    assert statuses == [200, 200, 200]
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert throttled.json()["detail"].startswith("Request was throttled.")
    # Per client address: another one is still served.
    other_client = anon.get(public(resume["share_slug"]), REMOTE_ADDR="10.0.0.2")
    assert other_client.status_code == 200
    # The owner's own API is not affected.
    assert api.get(detail(resume["id"])).status_code == 200
