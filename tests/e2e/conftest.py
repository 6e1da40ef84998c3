"""Fixtures for the browser tests: the frontend on its own origin, and Debian's Chromium
driven by Playwright (never a downloaded browser: `playwright install` is not used)."""

import functools
import json
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
FRONTEND_DIR = ROOT / "frontend"
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is not installed (Debian: apt-get install chromium)",
)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def static_site(directory: Path) -> Iterator[str]:
    """Serve `directory` on a free loopback port; yields the origin."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def configured_frontend(folder: Path, api_origins: list[str]) -> Path:
    """A copy of the frontend in `folder` whose config.js allows exactly `api_origins`."""
    shutil.copytree(FRONTEND_DIR, folder)
    (folder / "config.js").write_text(f"export const API_ORIGINS = {json.dumps(api_origins)};\n")
    return folder


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
    production CORS rule: the frontend's origin only, instead of the local server's "*"."""
    rule = {
        "AllowedOrigins": [frontend],
        "AllowedMethods": ["POST", "GET"],
        "AllowedHeaders": ["*"],
        "MaxAgeSeconds": 3600,
    }
    bucket.client.put_bucket_cors(Bucket=bucket.name, CORSConfiguration={"CORSRules": [rule]})
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


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
