"""The page sends requests (and so passwords) only to the API origins its config.js lists,
whatever a link's ?api= or the "API base URL" field names."""

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from tests.support.browser import FRONTEND_DIR, needs_chromium, static_site

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]

EVIL = "http://evil.example"
REFUSED = r"This page does not call http://evil\.example.*Nothing was sent\."


@pytest.fixture
def shipped_frontend() -> Iterator[str]:
    """The page exactly as the repository ships it (its own config.js)."""
    with static_site(FRONTEND_DIR) as origin:
        yield origin


def record_requests(page: Page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def log_in(page: Page) -> None:
    page.get_by_label("Username").last.fill("alice")
    page.get_by_label("Password").last.fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_link_to_another_api_is_refused_and_the_password_goes_nowhere(page, shipped_frontend):
    requests = record_requests(page)

    page.goto(f"{shipped_frontend}/?api={EVIL}")
    log_in(page)
    # Whatever happened to the attempt, the form reports it.
    expect(page.locator("#login-form .errors")).not_to_be_empty()

    assert requests, "the page itself was loaded"
    assert {urlsplit(url).netloc for url in requests} == {urlsplit(shipped_frontend).netloc}
    expect(page.locator("#login-form .errors")).to_have_text(re.compile(REFUSED))
    # The refusal was shown as soon as the page opened, before anyone typed a password.
    page.reload()
    expect(page.locator("#errors")).to_have_text(re.compile(REFUSED))


def test_an_api_typed_into_the_field_must_be_configured_too(page, frontend, live_server):
    requests = record_requests(page)
    page.goto(f"{frontend}/")
    expect(page.get_by_label("API base URL")).to_have_value(live_server.url)

    page.get_by_text("Settings").click()
    page.get_by_label("API base URL").fill(f"{EVIL}/")
    log_in(page)

    expect(page.locator("#login-form .errors")).to_have_text(re.compile(REFUSED))
    assert not [url for url in requests if urlsplit(url).netloc != urlsplit(frontend).netloc]
