"""Fixtures for the browser tests (helpers: tests/support/browser.py)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, configured_frontend, static_site


@pytest.fixture
def site(live_server, tmp_path_factory) -> Path:
    """The frontend, configured for the test's API (live_server) only."""
    return configured_frontend(tmp_path_factory.mktemp("site") / "frontend", [live_server.url])


@pytest.fixture
def frontend(settings, site) -> Iterator[str]:
    """The frontend's origin, which the API allows (CORS)."""
    with static_site(site) as origin:
        settings.CORS_ALLOWED_ORIGINS = [origin]
        yield origin


@pytest.fixture
def frontend_bucket(bucket, frontend):
    """The bucket (moto's server or Ceph RGW: tests marked s3_server) with the README's
    production CORS rules instead of the local server's "*": uploads and reads from the
    frontend's origin, and reads from the origin "null". The browser sends that one when the
    API redirects the page's fetch (of a PDF) to the bucket: after a redirect to a third
    origin the request's origin is hidden. A presigned URL is what grants the read."""
    rules = [
        {
            "AllowedOrigins": [frontend],
            "AllowedMethods": ["POST", "GET"],
            "AllowedHeaders": ["*"],
            "MaxAgeSeconds": 3600,
        },
        {"AllowedOrigins": ["null"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 3600},
    ]
    bucket.client.put_bucket_cors(Bucket=bucket.name, CORSConfiguration={"CORSRules": rules})
    return bucket


@pytest.fixture
def stranger(site) -> Iterator[str]:
    """The same page on a second origin, which the API does not allow."""
    with static_site(site) as origin:
        yield origin


@pytest.fixture
def browser(live_server, transactional_db) -> Iterator[Browser]:
    # Depending on the database and the server makes this fixture end before them: while
    # Playwright's sync API runs, the test thread counts as async for Django's ORM guard.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    uncaught: list[Exception] = []
    page.on("pageerror", lambda error: uncaught.append(error))
    yield page
    context.close()
    assert not uncaught, f"uncaught errors in the page: {uncaught}"
