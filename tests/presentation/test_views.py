"""The public page of a résumé, /r/<share_slug>/, with its photo links: what anyone with
the share link sees, and the one not-found page for every link to no public résumé."""

import base64
import hashlib
import json
import re
from urllib.parse import urlsplit

import pytest
from django.test.signals import template_rendered
from rest_framework.throttling import ScopedRateThrottle

from resumes.models import Resume
from tests.support.api import public, public_page
from tests.support.html import parse
from tests.support.uploads import image_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cleared_throttle_counts")]


@pytest.fixture
def shared(api, full_document) -> dict:
    """Alice's public résumé: a photo and a complete document."""
    response = api.post(
        "/api/resumes/",
        {"title": "Jane Developer", "image": image_upload(), "content": json.dumps(full_document)},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    resume = response.json()
    assert api.patch(f"/api/resumes/{resume['id']}/", {"is_public": True}).status_code == 200
    return resume


def inline_styles(html: str) -> list[str]:
    return re.findall(r"<style[^>]*>(.*?)</style>", html, re.DOTALL)


def sha256_source(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.split(" ", 1) for part in policy.split("; "))


def test_the_share_link_opens_the_resume_as_a_page(anon, shared, full_document):
    response = anon.get(shared["share_url"])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = parse(response.content.decode())
    assert page.find("h1").text == full_document["basics"]["name"]
    assert page.find("section", class_="section-work").find("h3").text == "Senior Software Engineer"
    assert "theme-classic" in page.find("body").attrs["class"]


def test_the_page_loads_only_its_own_styles_and_images(anon, shared, bucket):
    response = anon.get(public_page(shared["share_slug"]))
    html = response.content.decode()

    policy = directives(response)
    assert policy.pop("style-src").split() == [sha256_source(s) for s in inline_styles(html)]
    assert policy == {
        "default-src": "'none'",
        "img-src": f"'self' https://{bucket.name}.s3.amazonaws.com",
        "base-uri": "'none'",
        "form-action": "'none'",
        "frame-ancestors": "'none'",
    }
    assert len(inline_styles(html)) == 2


def test_the_photo_goes_through_the_pages_own_redirects(anon, shared, settings):
    settings.PUBLIC_IMAGE_URL_EXPIRE_SECONDS = 60
    stored = Resume.objects.get()
    page_url = f"http://testserver{public_page(shared['share_slug'])}"
    page = parse(anon.get(page_url).content.decode())
    meta = {
        m.attrs.get("property") or m.attrs.get("name"): m.attrs.get("content")
        for m in page.find_all("meta")
    }

    (photo,) = page.find_all("img")
    assert photo.attrs["src"] == f"{public_page(shared['share_slug'])}photo/thumbnail/"
    assert meta["og:image"] == f"{page_url}photo/"
    assert meta["og:url"] == page_url
    assert (meta["og:title"], meta["twitter:card"]) == ("Jane Developer", "summary")
    for path, key in [
        (photo.attrs["src"], stored.image_thumbnail.name),
        (f"{page_url}photo/", stored.image.name),
    ]:
        redirect = anon.get(path)
        assert redirect.status_code == 302
        assert urlsplit(redirect["Location"]).path.endswith(f"/{key}")
        assert "X-Amz-Signature" in redirect["Location"]
        assert redirect["Cache-Control"] == "private, max-age=30"
    # Nothing on the page outlives the link: no presigned URL.
    assert "X-Amz-Signature" not in anon.get(page_url).content.decode()


def test_a_resume_without_a_photo_shows_none(api, anon, shared):
    api.patch(f"/api/resumes/{shared['id']}/", {"image": None}, format="json")

    page = parse(anon.get(public_page(shared["share_slug"])).content.decode())

    assert page.find_all("img") == []
    assert not [m for m in page.find_all("meta") if m.attrs.get("property") == "og:image"]
    assert anon.get(public_page(shared["share_slug"]) + "photo/").status_code == 404


def test_the_page_is_not_indexed_or_cached_unless_the_owner_allows_it(api, anon, shared):
    url = public_page(shared["share_slug"])
    hidden = anon.get(url)

    api.patch(f"/api/resumes/{shared['id']}/", {"allow_search_indexing": True}, format="json")
    indexed = anon.get(url)

    assert hidden["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in hidden.content.decode()
    assert "X-Robots-Tag" not in indexed
    assert 'name="robots"' not in indexed.content.decode()
    for response in (hidden, indexed):
        assert response["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("theme", ["classic", "modern", "compact"])
def test_the_page_is_in_the_resumes_theme(api, anon, shared, theme):
    api.patch(f"/api/resumes/{shared['id']}/", {"theme": theme}, format="json")

    response = anon.get(public_page(shared["share_slug"]))

    assert f"theme-{theme}" in parse(response.content.decode()).find("body").attrs["class"]
    assert (
        sha256_source(inline_styles(response.content.decode())[0])
        in response["Content-Security-Policy"]
    )


def test_a_theme_that_is_gone_shows_the_default(anon, shared):
    Resume.objects.update(theme="removed-since")

    response = anon.get(public_page(shared["share_slug"]))

    assert response.status_code == 200
    assert "theme-classic" in parse(response.content.decode()).find("body").attrs["class"]


def not_found_answers(anon, paths: list[str]) -> list[tuple[int, str, bytes, str]]:
    answers = []
    for path in paths:
        response = anon.get(path)
        answers.append(
            (
                response.status_code,
                response["Content-Type"],
                response.content,
                response["Content-Security-Policy"],
            )
        )
    return answers


def test_private_unknown_and_replaced_links_get_the_same_not_found_page(api, anon, shared):
    old_slug = shared["share_slug"]
    new_slug = api.post(f"/api/resumes/{shared['id']}/share-link/").json()["share_slug"]
    private = api.post("/api/resumes/", {"title": "Draft"}, format="json").json()

    paths = [
        public_page(private["share_slug"]),
        public_page("no-such-link-0000000000"),
        public_page(old_slug),
        public_page(old_slug) + "photo/",
        public_page(private["share_slug"]) + "photo/thumbnail/",
        public_page(new_slug) + "no-such-page/",
        "/r/",
        "/r/not%20a%20slug/",
    ]
    answers = not_found_answers(anon, paths)

    assert len(set(answers)) == 1, answers
    status, content_type, body, policy = answers[0]
    assert (status, content_type) == (404, "text/html; charset=utf-8")
    page = parse(body.decode())
    assert page.find("h1").text == "Résumé not found"
    assert policy.startswith("default-src 'none'; style-src 'sha256-")
    assert old_slug.encode() not in body and private["share_slug"].encode() not in body
    assert anon.get(public_page(new_slug)).status_code == 200


def test_an_address_without_its_slash_is_redirected_to_it(anon, shared):
    response = anon.get(public_page(shared["share_slug"]).rstrip("/"))

    assert response.status_code == 301
    assert response["Location"] == public_page(shared["share_slug"])


def test_making_it_private_takes_the_page_down_at_once(api, anon, shared):
    url = public_page(shared["share_slug"])
    assert anon.get(url).status_code == 200

    api.patch(f"/api/resumes/{shared['id']}/", {"is_public": False}, format="json")

    assert anon.get(url).status_code == 404
    assert anon.get(url + "photo/").status_code == 404


def test_only_get_and_head_are_answered(anon, shared):
    url = public_page(shared["share_slug"])

    head = anon.head(url)

    assert (head.status_code, head.content) == (200, b"")
    assert anon.post(url).status_code == 405


@pytest.fixture
def low_rate(monkeypatch):
    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {**ScopedRateThrottle.THROTTLE_RATES, "public_resume": "3/minute"},
    )


def test_the_page_is_rate_limited_with_the_public_json(anon, shared, low_rate):
    slug = shared["share_slug"]

    statuses = [
        anon.get(path).status_code
        for path in (public(slug), public_page(slug), public_page(slug) + "photo/")
    ]
    throttled = anon.get(public_page(slug))

    assert statuses == [200, 200, 302]
    assert throttled.status_code == 429
    assert throttled["Content-Type"] == "text/html; charset=utf-8"
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert parse(throttled.content.decode()).find("h1").text == "Too many requests"
    assert anon.get(public(slug)).status_code == 429


def test_on_local_disk_the_photo_comes_from_this_site(api, anon, local_disk):
    created = api.post(
        "/api/resumes/", {"title": "Local", "image": image_upload()}, format="multipart"
    ).json()
    api.patch(f"/api/resumes/{created['id']}/", {"is_public": True}, format="json")

    response = anon.get(public_page(created["share_slug"]))
    photo = anon.get(public_page(created["share_slug"]) + "photo/")

    assert directives(response)["img-src"] == "'self'"
    assert photo["Location"] == f"http://testserver/media/{Resume.objects.get().image.name}"


def test_hostile_content_is_shown_as_text_and_loads_nothing(api, anon, shared):
    hostile = '<script>alert(1)</script><img src="http://evil.example/x.png"></style>'
    document = {
        "basics": {"name": hostile, "summary": hostile, "url": "https://ok.example/"},
        "work": [{"name": hostile, "highlights": [hostile], "url": "https://ok.example/w"}],
        "skills": [{"name": hostile, "keywords": ['" style="color:red']}],
    }
    assert (
        api.patch(f"/api/resumes/{shared['id']}/", {"content": document}, format="json").status_code
        == 200
    )

    html = anon.get(public_page(shared["share_slug"])).content.decode()
    page = parse(html)

    assert "<script" not in html and 'evil.example/x.png"' not in html
    assert [e.tag for e in page.iter() if e.tag == "script" or "style" in e.attrs] == []
    assert [img.attrs["src"] for img in page.find_all("img")] == [
        f"{public_page(shared['share_slug'])}photo/thumbnail/"
    ]
    assert page.find("h1").text == hostile
    links = {a.attrs["href"] for a in page.find_all("a")}
    own_pdf = f"http://testserver/r/{shared['share_slug']}/pdf/"
    assert links == {"https://ok.example/", "https://ok.example/w", own_pdf}


def page_renders(client, path: str, times: int) -> tuple[int, list]:
    """GET `path` `times` times: how often a theme's template was rendered, and the answers."""
    rendered: list[str] = []

    def record(sender, template, context, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        responses = [client.get(path) for _ in range(times)]
    finally:
        template_rendered.disconnect(record)
    return sum(name.endswith("/resume.html") for name in rendered), responses


def test_the_page_is_rendered_once_for_every_visitor_until_the_resume_changes(api, anon, shared):
    page_path = public_page(shared["share_slug"])
    renders, (first, second) = page_renders(anon, page_path, 2)
    assert renders == 1
    assert first.content == second.content

    api.patch(f"/api/resumes/{shared['id']}/", {"title": "Jane Developer, revised"})
    api.patch(
        f"/api/resumes/{shared['id']}/",
        {"content": {"basics": {"name": "Jane D. Developer"}}},
        format="json",
    )
    renders, (changed,) = page_renders(anon, page_path, 1)

    assert renders == 1
    page = parse(changed.content.decode())
    assert page.find("h1").text == "Jane D. Developer"
    assert page.find("title").text == "Jane Developer, revised"
