"""The public page in a real browser: Chromium opens a share link as a stranger would (a
fresh context, no token), with the photo on moto's S3 server, in every theme, on a desktop
and a phone. Screenshots go to test-artifacts/page-<theme>.png (and -phone.png)."""

import json
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser

from presentation.themes import themes
from tests.factories import PASSWORD
from tests.support import images
from tests.support.browser import ROOT, needs_chromium

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]

ARTIFACTS = ROOT / "test-artifacts"
DOCUMENT = Path(__file__).parents[1] / "presentation" / "documents" / "complete-resume.json"
PHOTO_SIZE = (300, 400)
THUMBNAIL_WIDTH = round(300 * 256 / 400)  # IMAGE_THUMBNAIL_SIZE on the longer side
VIEWPORTS = {"": {"width": 1100, "height": 900}, "-phone": {"width": 390, "height": 844}}


def shared_resume(api: str) -> dict:
    """A public résumé with a photo and a complete document, made through the API."""
    account = {"username": "jane", "email": "jane@example.com", "password": PASSWORD}
    requests.post(f"{api}/api/auth/register/", json=account, timeout=10).raise_for_status()
    token = requests.post(f"{api}/api/auth/token/", json=account, timeout=10).json()["access"]
    headers = {"Authorization": f"Bearer {token}"}
    photo = images.encode(images.halves(PHOTO_SIZE), "JPEG")
    created = requests.post(
        f"{api}/api/resumes/",
        data={"title": "Jane Developer", "content": DOCUMENT.read_text(), "is_public": "true"},
        files={"image": ("jane.jpg", photo, "image/jpeg")},
        headers=headers,
        timeout=10,
    )
    created.raise_for_status()
    return {**created.json(), "headers": headers}


@pytest.mark.parametrize("bucket", ["moto"], indirect=True)
def test_every_theme_shows_the_shared_resume_to_a_stranger(browser: Browser, live_server, bucket):
    resume = shared_resume(live_server.url)
    name = json.loads(DOCUMENT.read_text())["basics"]["name"]
    ARTIFACTS.mkdir(exist_ok=True)

    for theme in themes():
        requests.patch(
            f"{live_server.url}/api/resumes/{resume['id']}/",
            json={"theme": theme},
            headers=resume["headers"],
            timeout=10,
        ).raise_for_status()
        for suffix, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            refused: list[str] = []
            page.on(
                "console",
                lambda message, refused=refused: (
                    refused.append(message.text)
                    if "Content Security Policy" in message.text
                    else None
                ),
            )

            response = page.goto(resume["share_url"])
            page.wait_for_function("[...document.images].every(img => img.complete)")

            assert response.status == 200
            assert f"theme-{theme}" in page.locator("body").get_attribute("class")
            heading = page.locator("h1")
            assert heading.inner_text() == name
            assert heading.is_visible()
            assert page.get_by_text("Senior Software Engineer").is_visible()
            # The photo loaded: through the page's redirect, from S3, allowed by the policy
            # (its stored thumbnail).
            assert page.eval_on_selector("img.photo", "img => img.naturalWidth") == THUMBNAIL_WIDTH
            assert refused == [], (theme, refused)
            # Readable on a phone: nothing wider than the screen.
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], (theme, suffix, width)
            page.screenshot(path=ARTIFACTS / f"page-{theme}{suffix}.png", full_page=True)
            context.close()
        assert (ARTIFACTS / f"page-{theme}.png").stat().st_size > 10_000
