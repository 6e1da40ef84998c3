"""The API side of themes: the theme list, a résumé's theme and search-indexing choice, the
owner's preview in any theme, and meta.theme on import."""

import json

import pytest

from presentation.themes import themes
from resumes.models import Resume
from tests.support.html import parse
from tests.support.uploads import image_upload

pytestmark = pytest.mark.django_db

UNKNOWN_THEME = '"neon" is not a theme; choose one of classic, compact, modern (GET /api/themes/).'


def preview(resume_id: int, query: str = "") -> str:
    return f"/api/resumes/{resume_id}/preview/{query}"


def test_the_theme_list_needs_no_token(anon):
    response = anon.get("/api/themes/")

    assert response.status_code == 200
    assert response.json() == [
        {"name": theme.name, "label": theme.label, "description": theme.description}
        for theme in themes().values()
    ]
    assert [theme["name"] for theme in response.json()] == ["classic", "compact", "modern"]


def test_a_new_resume_is_classic_and_not_indexed(api):
    body = api.post("/api/resumes/", {"title": "Ada"}, format="json").json()

    assert (body["theme"], body["allow_search_indexing"]) == ("classic", False)


def test_theme_and_indexing_are_set_on_create_and_change(api):
    created = api.post(
        "/api/resumes/",
        {"title": "Ada", "theme": "modern", "allow_search_indexing": True},
        format="json",
    ).json()
    changed = api.patch(
        f"/api/resumes/{created['id']}/", {"theme": "compact"}, format="multipart"
    ).json()

    assert (created["theme"], created["allow_search_indexing"]) == ("modern", True)
    assert (changed["theme"], changed["allow_search_indexing"]) == ("compact", True)
    stored = Resume.objects.get()
    assert (stored.theme, stored.allow_search_indexing) == ("compact", True)


@pytest.mark.parametrize("theme", ["neon", "", "Classic", "../classic"])
def test_an_unknown_theme_is_refused_by_name_and_nothing_changes(api, theme):
    resume = api.post("/api/resumes/", {"title": "Ada"}, format="json").json()

    created = api.post("/api/resumes/", {"title": "Bob", "theme": theme}, format="json")
    changed = api.patch(f"/api/resumes/{resume['id']}/", {"theme": theme}, format="json")

    for response in (created, changed):
        assert response.status_code == 400
        assert list(response.json()) == ["theme"]
    assert created.json() == {"theme": [UNKNOWN_THEME.replace("neon", theme)]}
    assert list(Resume.objects.values_list("title", "theme")) == [("Ada", "classic")]


def test_a_theme_must_be_a_string(api):
    response = api.post("/api/resumes/", {"title": "Ada", "theme": ["modern"]}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["theme"]


@pytest.mark.parametrize(
    ("meta", "theme"),
    [
        ({"theme": "modern"}, "modern"),
        ({"theme": "compact"}, "compact"),
        ({"theme": "jsonresume-theme-even"}, "classic"),
        ({"theme": 7}, "classic"),
        ({}, "classic"),
    ],
)
def test_import_takes_the_theme_meta_names_when_it_is_ours(api, meta, theme):
    document = {"basics": {"name": "Ada Lovelace"}, "meta": meta}

    response = api.post("/api/resumes/import/", document, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["theme"] == theme
    assert Resume.objects.get().theme == theme
    assert Resume.objects.get().content["meta"] == meta


@pytest.fixture
def own_resume(api, full_document) -> dict:
    response = api.post(
        "/api/resumes/",
        {
            "title": "Jane Developer",
            "theme": "modern",
            "image": image_upload(),
            "content": json.dumps(full_document),
        },
        format="multipart",
    )
    assert response.status_code == 201
    return response.json()


def test_the_owner_previews_a_private_resume_in_its_own_theme(api, own_resume, bucket):
    response = api.get(preview(own_resume["id"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = parse(response.content.decode())
    assert "theme-modern" in page.find("body").attrs["class"]
    assert page.find("h1").text == "Jane Developer"
    # The photo: a signed URL of the stored thumbnail, which the policy allows.
    (photo,) = page.find_all("img")
    key = Resume.objects.get().image_thumbnail.name
    assert photo.attrs["src"].startswith(f"https://{bucket.name}.s3.amazonaws.com/{key}?")
    assert "X-Amz-Signature=" in photo.attrs["src"]
    policy = response["Content-Security-Policy"]
    assert f"img-src 'self' https://{bucket.name}.s3.amazonaws.com;" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Robots-Tag"] == "noindex"
    # A preview is no public page: no link-preview tags, no PDF link.
    assert not [m for m in page.find_all("meta") if m.attrs.get("property")]
    assert page.find_all("a", class_="download") == []


@pytest.mark.parametrize("theme", ["classic", "modern", "compact"])
def test_the_owner_previews_any_theme(api, own_resume, theme):
    response = api.get(preview(own_resume["id"], f"?theme={theme}"))

    assert response.status_code == 200
    assert f"theme-{theme}" in parse(response.content.decode()).find("body").attrs["class"]
    assert themes()[theme].stylesheet_hash in response["Content-Security-Policy"]
    assert Resume.objects.get().theme == "modern"


@pytest.mark.parametrize("accept", ["text/html", "application/json", "image/png", "*/*"])
def test_the_preview_is_html_whatever_the_client_accepts(api, own_resume, accept):
    response = api.get(preview(own_resume["id"]), HTTP_ACCEPT=accept)
    refused = api.get(preview(own_resume["id"], "?theme=neon"), HTTP_ACCEPT=accept)

    assert (response.status_code, response["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert (refused.status_code, refused.json()) == (400, {"theme": [UNKNOWN_THEME]})


def test_an_unknown_preview_theme_is_a_400_naming_it(api, own_resume):
    response = api.get(preview(own_resume["id"], "?theme=neon"))

    assert response.status_code == 400
    assert response.json() == {"theme": [UNKNOWN_THEME]}


def test_another_users_resume_has_no_preview(api, other_user):
    theirs = Resume.objects.create(owner=other_user, title="Victim", is_public=True)

    response = api.get(preview(theirs.id, "?theme=neon"))

    assert response.status_code == 404
    assert response.json() == {"detail": "No Resume matches the given query."}
    assert "Victim" not in response.content.decode()


def test_the_preview_needs_a_token(anon, own_resume):
    response = anon.get(preview(own_resume["id"]))

    assert response.status_code == 401
    assert "Jane" not in response.content.decode()


def test_share_links_point_at_the_public_page(api, own_resume):
    link = api.post(f"/api/resumes/{own_resume['id']}/share-link/").json()

    assert own_resume["share_url"] == f"http://testserver/r/{own_resume['share_slug']}/"
    assert link["share_url"] == f"http://testserver/r/{link['share_slug']}/"
