"""The frontend on its own origin, and Debian's Chromium as Playwright drives it (never a
downloaded browser: `playwright install` is not used)."""

import functools
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar

import pytest
from django.db import connections
from playwright.sync_api import Page, Response, expect

ROOT = Path(__file__).resolve().parents[2]
FRONTEND_DIR = ROOT / "frontend"
ARTIFACTS = ROOT / "test-artifacts"
E2E_ARTIFACTS = ARTIFACTS / "e2e"
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

T = TypeVar("T")

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


def screenshot(page: Page, name: str, folder: Path = E2E_ARTIFACTS) -> Path:
    """The whole page as `folder`/`name`.png, for people to look at. The viewport grows to
    the page's height meanwhile: Chromium paints a frame of another origin (a sandboxed
    preview) only while it is in view, which a full-page screenshot does not ensure."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    viewport = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    try:
        page.screenshot(path=path)
    finally:
        page.set_viewport_size(viewport)
    return path


def is_call(method: str, url: str) -> Callable[[Response], bool]:
    """Matches the response to `method url`, for page.expect_response."""
    return lambda response: response.request.method == method and response.url == url


def outside_playwright(work: Callable[[], T]) -> T:
    """Run `work` (database queries) in a thread of its own: while Playwright's sync API
    runs, Django refuses database queries in the test's thread (it counts as async)."""

    def run() -> T:
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def sign_up(page: Page, username: str, email: str, password: str) -> None:
    """Sign up through the page's form; the page says where the verification link went."""
    signup = page.locator("#signup-form")
    signup.get_by_label("Username").fill(username)
    signup.get_by_label("E-mail").fill(email)
    signup.get_by_label("Password").fill(password)
    signup.get_by_role("button", name="Sign up").click()
    expect(page.locator("#status")).to_have_text(
        f"Account “{username}” created. We sent an e-mail to {email}: open its link to verify "
        "the address. Log in below."
    )
