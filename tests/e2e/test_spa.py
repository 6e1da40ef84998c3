"""The frontend in a real browser: Chromium on the frontend's origin, the API on another
(live_server, CORS), photos on a third (moto's S3 server, then Ceph RGW). Screenshots go to
test-artifacts/e2e/."""

import json
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import requests
from PIL import Image
from playwright.sync_api import Browser, Download, FrameLocator, Page, expect
from pypdf import PdfReader
from rest_framework_simplejwt.tokens import AccessToken

from resumes.json_resume import EXAMPLE_DOCUMENT
from resumes.models import Resume
from tests.factories import PASSWORD
from tests.support import images
from tests.support.browser import (
    ARTIFACTS,
    is_call,
    needs_chromium,
    outside_playwright,
    screenshot,
    sign_up,
)
from tests.support.celery import MemoryQueue, QueuedTask, broker

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]

# naturalWidth of each full-size photo the list links to, loaded in the page (0: broken).
LINKED_PHOTO_WIDTHS = """links => Promise.all(links.map(link => new Promise(resolve => {
    const img = new Image();
    img.onload = () => resolve(img.naturalWidth);
    img.onerror = () => resolve(0);
    img.src = link.href;
})))"""


def photo_files(folder: Path) -> dict[str, Path]:
    """Generated photos (and one impostor) as files, for the page's file input."""
    contents = {
        "portrait.jpg": images.encode(images.halves((400, 300)), "JPEG"),
        "direct.png": images.encode(Image.new("RGB", (300, 400), "orange"), "PNG"),
        "replacement.jpg": images.encode(Image.new("RGB", (512, 256), "purple"), "JPEG"),
        "not-a-photo.jpg": b"plain text, whatever the name says\n",
    }
    for name, data in contents.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in contents}


def rendered_widths(page: Page, selector: str) -> list[int]:
    """naturalWidth of each image `selector` matches, once all have settled (0: broken)."""
    page.wait_for_function(
        "selector => [...document.querySelectorAll(selector)].every(img => img.complete)",
        arg=selector,
    )
    return page.eval_on_selector_all(selector, "imgs => imgs.map(img => img.naturalWidth)")


def storage_keys(resume: dict, bucket_name: str) -> set[str]:
    """The bucket keys behind a résumé's (presigned, path-style) photo URLs."""
    return {
        unquote(urlsplit(resume[field]).path).removeprefix(f"/{bucket_name}/")
        for field in ("image", "image_thumbnail")
    }


# What the owner types into the JSON editor: the API documentation's example (a name and a
# work entry for the public page), with a little more so that its screenshot looks like a
# résumé.
DOCUMENT = {
    **EXAMPLE_DOCUMENT,
    "work": [
        *EXAMPLE_DOCUMENT["work"],
        {
            "name": "Difference Engine demonstrations",
            "position": "Correspondent",
            "startDate": "1833",
            "endDate": "1842",
            "highlights": ["Corresponded with Babbage on the engines' design"],
        },
    ],
    "skills": [
        *EXAMPLE_DOCUMENT["skills"],
        {"name": "Writing", "keywords": ["translation", "technical notes"]},
    ],
    "languages": [*EXAMPLE_DOCUMENT["languages"], {"language": "French", "fluency": "Fluent"}],
}


def sign_up_and_log_in(page: Page, api: str, username: str) -> None:
    """An account made through the API, then the page's login (the page is open)."""
    account = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    assert requests.post(f"{api}/api/auth/register/", json=account, timeout=10).status_code == 201
    login = page.locator("#login-form")
    login.get_by_label("Username").fill(username)
    login.get_by_label("Password").fill(PASSWORD)
    login.get_by_role("button", name="Log in").click()
    expect(page.locator("#session")).to_contain_text(f"Signed in as {username}")


def loaded_width(image) -> int:
    """naturalWidth of the image a locator names, once it has loaded (0: broken)."""
    return image.evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)")


def expect_work_entry(scope: Page | FrameLocator) -> None:
    """The work entry of DOCUMENT, as every theme shows one: position, company, highlight."""
    entry = scope.locator(".entry").filter(has_text="Analytical Engine")
    expect(entry.get_by_role("heading", name="Analyst")).to_be_visible()
    expect(entry.get_by_role("listitem")).to_have_text(DOCUMENT["work"][0]["highlights"])


def pdf_text(download: Download) -> str:
    """The text of a downloaded file, which must be a PDF."""
    path = download.path()
    assert path.read_bytes().startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def as_a_worker(queue: MemoryQueue) -> list[QueuedTask]:
    """Run the queued tasks as a worker would (outside Playwright's thread)."""
    return outside_playwright(queue.run)


def anonymous_page(browser: Browser) -> Page:
    """A page in a fresh browser context: no token, no cookies, no storage."""
    page = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    page.on("request", lambda request: assert_anonymous(request.headers))
    return page


def assert_anonymous(headers: dict[str, str]) -> None:
    assert "authorization" not in headers
    assert "cookie" not in headers


def photo_route(page: Page, label: str) -> None:
    """Choose how photos are sent, under the page's Settings (opened if closed)."""
    settings = page.locator("#settings")
    if not settings.evaluate("details => details.open"):
        settings.locator("summary").click()
    page.get_by_label(label).check()


@pytest.mark.s3_server
def test_a_new_user_tries_every_feature(page, frontend, live_server, frontend_bucket, tmp_path):
    bucket = frontend_bucket
    api = live_server.url
    s3_endpoint = bucket.client.meta.endpoint_url
    files = photo_files(tmp_path)
    resumes_url = f"{api}/api/resumes/"
    status = page.locator("#status")
    cards = page.locator("#resume-list > li")

    page.goto(f"{frontend}/")
    # The API's address is a setting, out of the way: the page calls the first configured.
    expect(page.get_by_label("API base URL")).to_be_hidden()
    expect(page.get_by_label("API base URL")).to_have_value(api)

    # Sign up.
    sign_up(page, "ada", "ada@example.com", PASSWORD)
    screenshot(page, "01-signed-up")

    # Log in: first with a wrong password, whose error is the API's own sentence.
    login = page.locator("#login-form")
    expect(login.get_by_label("Username")).to_have_value("ada")
    login.get_by_label("Password").fill("not-the-password")
    with page.expect_response(is_call("POST", f"{api}/api/auth/token/")) as refused:
        login.get_by_role("button", name="Log in").click()
    assert refused.value.status == 401
    expect(login.locator(".errors")).to_have_text(refused.value.json()["detail"])
    login.get_by_label("Password").fill(PASSWORD)
    login.get_by_role("button", name="Log in").click()
    expect(page.locator("#session")).to_contain_text("Signed in as ada")
    expect(page.locator("#account")).to_be_hidden()
    expect(page.locator("#resume-count")).to_have_text("0 résumés")

    form = page.locator("#resume-form")
    photo_input = form.get_by_label("Photo", exact=True)
    create = form.get_by_role("button", name="Create résumé")

    # Create with a photo in a multipart form through the API.
    form.get_by_label("Title").fill("Backend engineer")
    form.get_by_label("Summary").fill("Django, DRF, S3")
    photo_input.set_input_files(files["portrait.jpg"])
    photo_route(page, "through the API")
    with page.expect_response(is_call("POST", resumes_url)) as created:
        create.click()
    assert created.value.status == 201
    assert created.value.request.headers["content-type"].startswith("multipart/form-data")
    multipart_resume = created.value.json()
    expect(status).to_have_text("Résumé “Backend engineer” created.")

    # Create with a photo sent straight to S3 (presigned POST), then claimed by its key: a
    # choice under Settings.
    form.get_by_label("Title").fill("Data engineer")
    photo_input.set_input_files(files["direct.png"])
    photo_route(page, "straight to the file store")
    # The upload is the POST to the bucket's URL: the list's photos are GETs from the same
    # server, and may load meanwhile.
    with (
        page.expect_response(is_call("POST", f"{api}/api/uploads/")) as ticketed,
        page.expect_response(is_call("POST", f"{s3_endpoint}/{bucket.name}")) as to_s3,
        page.expect_response(is_call("POST", resumes_url)) as claimed,
    ):
        create.click()
    assert ticketed.value.status == 201
    assert ticketed.value.json()["url"] == to_s3.value.url
    assert to_s3.value.status == 204  # S3's answer when the form asks for no other
    assert claimed.value.status == 201
    assert claimed.value.request.post_data_json["image_key"].startswith("uploads/")
    direct_resume = claimed.value.json()
    expect(status).to_have_text("Résumé “Data engineer” created.")

    # Both are listed, newest first, and every photo renders: the thumbnails in the list
    # (longest side 256) and the full-size photos they link to.
    expect(cards).to_have_count(2)
    expect(cards.locator(".title")).to_have_text(["Data engineer", "Backend engineer"])
    assert rendered_widths(page, "#resume-list img") == [192, 256]
    assert page.eval_on_selector_all("#resume-list a.photo", LINKED_PHOTO_WIDTHS) == [300, 400]
    screenshot(page, "02-list-with-photos")
    keys = storage_keys(multipart_resume, bucket.name) | storage_keys(direct_resume, bucket.name)
    assert set(bucket.object_keys()) == keys  # the staging upload was consumed

    # A file that is not an image: the API's message, under the field it names, both ways.
    form.get_by_label("Title").fill("Broken")
    photo_input.set_input_files(files["not-a-photo.jpg"])
    photo_route(page, "through the API")
    with page.expect_response(is_call("POST", resumes_url)) as rejected:
        create.click()
    assert rejected.value.status == 400
    expect(form.locator(".errors")).to_have_text(f"Photo: {rejected.value.json()['image'][0]}")
    expect(photo_input).to_have_attribute("aria-invalid", "true")
    photo_route(page, "straight to the file store")
    with page.expect_response(is_call("POST", resumes_url)) as rejected:
        create.click()
    assert rejected.value.status == 400
    expect(form.locator(".errors")).to_have_text(f"Photo: {rejected.value.json()['image_key'][0]}")
    # S3 took the bytes; the refused claim spent the upload's one attempt and deleted them.
    assert rejected.value.request.post_data_json["image_key"] not in bucket.object_keys()
    screenshot(page, "03-invalid-photo")
    expect(cards).to_have_count(2)

    # Edit: a new title and a new photo.
    page.get_by_role("button", name="Edit “Backend engineer”").click()
    expect(page.locator("#resume-form-title")).to_have_text("Edit “Backend engineer”")
    expect(form.get_by_label("Title")).to_have_value("Backend engineer")
    assert rendered_widths(page, "#current-photo img") == [256]
    form.get_by_label("Title").fill("Senior backend engineer")
    photo_input.set_input_files(files["replacement.jpg"])
    photo_route(page, "through the API")
    edit_url = f"{resumes_url}{multipart_resume['id']}/"
    with page.expect_response(is_call("PATCH", edit_url)) as edited:
        form.get_by_role("button", name="Save changes").click()
    assert edited.value.status == 200
    expect(status).to_have_text("Résumé “Senior backend engineer” saved.")
    expect(cards.locator(".title")).to_have_text(["Data engineer", "Senior backend engineer"])
    assert rendered_widths(page, "#resume-list img") == [192, 256]
    assert page.eval_on_selector_all("#resume-list a.photo", LINKED_PHOTO_WIDTHS) == [300, 512]
    screenshot(page, "04-edited")
    new_keys = storage_keys(edited.value.json(), bucket.name)
    kept = new_keys | storage_keys(direct_resume, bucket.name)
    assert set(bucket.object_keys()) == kept  # the replaced photo is gone

    # Delete (after the browser's confirmation): the résumé and its photo go.
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(is_call("DELETE", f"{resumes_url}{direct_resume['id']}/")) as gone:
        page.get_by_role("button", name="Delete “Data engineer”").click()
    assert gone.value.status == 204
    expect(status).to_have_text("Résumé “Data engineer” deleted.")
    expect(cards).to_have_count(1)
    expect(page.locator("#resume-count")).to_have_text("1 résumé")
    assert set(bucket.object_keys()) == new_keys

    # Log out: the refresh token the page held is revoked.
    with page.expect_response(is_call("POST", f"{api}/api/auth/logout/")) as logged_out:
        page.get_by_role("button", name="Log out").click()
    assert logged_out.value.status == 204
    expect(status).to_have_text("Logged out: the refresh token is revoked.")
    expect(page.locator("#login-form")).to_be_visible()
    expect(page.locator("#workspace")).to_be_hidden()
    expect(page.locator("#session")).to_be_hidden()
    screenshot(page, "05-logged-out")
    refresh = logged_out.value.request.post_data_json["refresh"]
    renewal = requests.post(f"{api}/api/auth/token/refresh/", json={"refresh": refresh}, timeout=10)
    assert renewal.status_code == 401


def test_an_origin_the_api_does_not_allow_cannot_call_it(page, frontend, stranger, live_server):
    api = live_server.url

    # The page served from an origin missing from CORS_ALLOWED_ORIGINS: the browser blocks
    # the call, and the page says what to check.
    page.goto(f"{stranger}/?api={api}")
    expect(page.get_by_label("API base URL")).to_have_value(api)
    signup = page.locator("#signup-form")
    signup.get_by_label("Username").fill("eve")
    signup.get_by_label("E-mail").fill("eve@example.com")
    signup.get_by_label("Password").fill(PASSWORD)
    signup.get_by_role("button", name="Sign up").click()
    expect(signup.locator(".errors")).to_have_text(
        re.compile(
            rf"Could not reach the API at {re.escape(api)}/api/auth/register/: .*"
            rf"this page's origin \({re.escape(stranger)}\).*CORS_ALLOWED_ORIGINS"
        )
    )
    screenshot(page, "06-origin-not-allowed")
    fetch_resumes = "url => fetch(url).then(response => response.status, error => error.name)"
    assert page.evaluate(fetch_resumes, f"{api}/api/resumes/") == "TypeError"
    # The preflight failed, so the registration never reached the API.
    login = requests.post(
        f"{api}/api/auth/token/", json={"username": "eve", "password": PASSWORD}, timeout=10
    )
    assert login.status_code == 401

    # The same call from the allowed origin gets the API's answer.
    page.goto(f"{frontend}/?api={api}")
    assert page.evaluate(fetch_resumes, f"{api}/api/resumes/") == 401


def test_an_expired_access_token_is_renewed_without_a_new_login(
    page, frontend, live_server, monkeypatch
):
    api = live_server.url
    monkeypatch.setattr(AccessToken, "lifetime", timedelta(seconds=1))
    account = {"username": "grace", "email": "grace@example.com", "password": PASSWORD}
    assert requests.post(f"{api}/api/auth/register/", json=account, timeout=10).status_code == 201
    page.goto(f"{frontend}/?api={api}")
    login = page.locator("#login-form")
    login.get_by_label("Username").fill("grace")
    login.get_by_label("Password").fill(PASSWORD)
    login.get_by_role("button", name="Log in").click()
    expect(page.locator("#resume-count")).to_have_text("0 résumés")

    page.wait_for_timeout(2_000)  # the access token expires
    monkeypatch.undo()  # the renewed one lasts, so that the logout below needs no renewal
    with (
        page.expect_response(is_call("POST", f"{api}/api/auth/token/refresh/")) as renewed,
        page.expect_response(lambda r: is_call("GET", f"{api}/api/resumes/")(r) and r.ok) as listed,
    ):
        page.get_by_role("button", name="Refresh").click()
    assert renewed.value.status == 200
    assert (
        listed.value.request.headers["authorization"] == f"Bearer {renewed.value.json()['access']}"
    )

    # Logging out uses the rotated refresh token (the first one is blacklisted).
    with page.expect_response(is_call("POST", f"{api}/api/auth/logout/")) as logged_out:
        page.get_by_role("button", name="Log out").click()
    assert logged_out.value.status == 204
    assert logged_out.value.request.post_data_json["refresh"] == renewed.value.json()["refresh"]


@pytest.mark.s3_server
def test_an_owner_writes_shares_and_themes_a_resume_that_anyone_with_the_link_reads(
    page, browser, frontend, live_server, frontend_bucket, settings, tmp_path
):
    api = live_server.url
    status = page.locator("#status")
    photo = photo_files(tmp_path)["portrait.jpg"]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=frontend)
    page.goto(f"{frontend}/")
    sign_up_and_log_in(page, api, "ada")

    form = page.locator("#resume-form")
    form.get_by_label("Title").fill("Analyst")
    form.get_by_label("Photo", exact=True).set_input_files(photo)
    with page.expect_response(is_call("POST", f"{api}/api/resumes/")) as created:
        form.get_by_role("button", name="Create résumé").click()
    assert created.value.status == 201
    resume_id = created.value.json()["id"]
    resume_url = f"{api}/api/resumes/{resume_id}/"
    card = page.locator("#resume-list > li").filter(has_text="Analyst")
    expect(card).to_have_count(1)

    # The content as a JSON document, prefilled with what the API holds.
    page.get_by_role("button", name="Edit content of “Analyst”").click()
    editor = page.get_by_label("Content (JSON)")
    expect(editor).to_be_focused()
    expect(editor).to_have_value("{}")
    problems = page.locator("#content-form .errors li")
    save = page.get_by_role("button", name="Save content")

    # Text that is not JSON never reaches the API.
    editor.fill('{"basics": {"name": "Ada"')
    save.click()
    expect(problems).to_have_text([re.compile(r"^\(whole document\): This is not valid JSON: ")])

    # The API's answer to an impossible date and a bad e-mail: each path and message,
    # beside the editor.
    invalid = {**DOCUMENT, "basics": {**DOCUMENT["basics"], "email": "ada-at-example.com"}}
    invalid["work"] = [{**DOCUMENT["work"][0], "startDate": "1842-13"}, *DOCUMENT["work"][1:]]
    editor.fill(json.dumps(invalid, indent=2))
    with page.expect_response(is_call("PATCH", resume_url)) as refused:
        save.click()
    assert refused.value.status == 400
    by_path = refused.value.json()["content"]
    assert set(by_path) == {"basics.email", "work[0].startDate"}
    expect(problems).to_have_text(
        [f"{path}: {message}" for path, messages in by_path.items() for message in messages]
    )
    expect(editor).to_have_attribute("aria-invalid", "true")
    # A path selects its value in the editor.
    page.get_by_role("button", name="work[0].startDate").click()
    expect(editor).to_be_focused()
    selected = "e => e.value.slice(e.selectionStart, e.selectionEnd)"
    assert editor.evaluate(selected) == '"1842-13"'
    editor_box = editor.bounding_box()
    problems_box = page.locator("#content-form .errors").bounding_box()
    assert problems_box["x"] >= editor_box["x"] + editor_box["width"]  # beside, not below
    assert problems_box["y"] < editor_box["y"] + editor_box["height"]
    screenshot(page, "07-content-problems")

    # Corrected: saved as written, and the problems are gone.
    editor.fill(json.dumps(DOCUMENT, indent=2))
    with page.expect_response(is_call("PATCH", resume_url)) as saved:
        save.click()
    assert saved.value.status == 200
    assert saved.value.json()["content"] == DOCUMENT
    assert saved.value.json()["content_changes"] == []
    expect(status).to_have_text("Content of “Analyst” saved as sent.")
    expect(page.locator("#content-changes")).to_have_text("Saved as sent: the API changed nothing.")
    expect(problems).to_have_count(0)
    expect(editor).not_to_have_attribute("aria-invalid", "true")
    assert json.loads(editor.input_value()) == DOCUMENT
    page.get_by_role("button", name="Close").click()
    expect(editor).to_be_hidden()

    # Private at first: the share link answers no one, and the page offers none.
    share_url = saved.value.json()["share_url"]
    public_switch = card.get_by_role("checkbox", name="Public")
    expect(public_switch).not_to_be_checked()
    expect(card).to_contain_text("Only you can see it.")
    expect(card.get_by_role("button", name="Copy link")).to_be_hidden()
    assert requests.get(share_url, timeout=10).status_code == 404

    # Public: the link works for anyone, and the page shows, copies and opens it.
    with page.expect_response(is_call("PATCH", resume_url)) as made_public:
        public_switch.check()
    assert made_public.value.request.post_data_json == {"is_public": True}
    expect(status).to_have_text("“Analyst” is public: anyone with its link can read it.")
    expect(public_switch).to_be_checked()
    expect(card.get_by_role("textbox", name="Share link")).to_have_value(share_url)
    open_link = card.get_by_role("link", name="Open public page")
    expect(open_link).to_have_attribute("href", share_url)
    expect(open_link).to_have_attribute("target", "_blank")
    assert requests.get(share_url, timeout=10).status_code == 200
    card.get_by_role("button", name="Copy link").click()
    expect(status).to_have_text("Link to “Analyst” copied.")
    assert page.evaluate("navigator.clipboard.readText()") == share_url

    # A theme, from the API's list; the résumé starts in the default one.
    themes = requests.get(f"{api}/api/themes/", timeout=10).json()
    labels = {theme["name"]: theme["label"] for theme in themes}
    assert "classic" in labels and len(labels) >= 3
    theme_select = card.get_by_role("combobox", name="Theme")
    expect(theme_select).to_have_value("classic")
    expect(theme_select.locator("option")).to_have_text(list(labels.values()))
    chosen, other = [name for name in labels if name != "classic"][:2]
    with page.expect_response(is_call("PATCH", resume_url)) as themed:
        theme_select.select_option(chosen)
    assert themed.value.request.post_data_json == {"theme": chosen}
    assert themed.value.json()["theme"] == chosen
    expect(status).to_have_text(f"“Analyst” is shown in the {labels[chosen]} theme.")

    # The preview: the API's page in a sandboxed frame, in the résumé's theme, then in one
    # that no PDF has been rendered in yet.
    preview = page.locator("#preview")
    frame = page.frame_locator("#preview-frame")
    with page.expect_response(f"{resume_url}preview/?theme={chosen}") as previewed:
        card.get_by_role("button", name="Preview").click()
    assert previewed.value.status == 200
    expect(preview.get_by_role("heading", name="Preview of “Analyst”")).to_be_focused()
    expect(page.locator("#preview-frame")).to_have_attribute("sandbox", "")
    expect(frame.locator("h1")).to_have_text("Ada Lovelace")
    expect_work_entry(frame)
    assert loaded_width(frame.get_by_role("img", name="Photo of Ada Lovelace")) > 0
    with page.expect_response(f"{resume_url}preview/?theme={other}") as previewed:
        preview.get_by_role("combobox", name="Theme").select_option(other)
    assert previewed.value.status == 200
    expect(page.locator("#preview-frame")).to_have_attribute("srcdoc", previewed.value.text())
    assert loaded_width(frame.get_by_role("img", name="Photo of Ada Lovelace")) > 0
    screenshot(page, "try-it", folder=ARTIFACTS)

    # The PDF of the previewed theme, through the owner's endpoint. Nothing renders it until
    # a worker takes the queued task: meanwhile the API answers 202, and the page says so and
    # asks again.
    owner_pdf = re.compile(rf"{re.escape(resume_url)}pdf/\?theme={other}$")
    with broker(settings, "memory://"):
        with page.expect_response(owner_pdf) as asked:
            preview.get_by_role("button", name="Download PDF").click()
        assert asked.value.status == 202
        expect(status).to_have_text("Preparing the PDF of “Analyst”…")
        with page.expect_download(timeout=30_000) as downloaded:
            rendered = as_a_worker(MemoryQueue())
    assert rendered == [QueuedTask("pdfs.tasks.render_resume_pdf", [resume_id, other])]
    assert downloaded.value.suggested_filename == "analyst.pdf"
    assert "Ada Lovelace" in pdf_text(downloaded.value)
    expect(status).to_have_text("PDF of “Analyst” downloaded (analyst.pdf).")
    preview.get_by_role("button", name="Close").click()
    expect(preview).to_be_hidden()

    # The share link in a fresh, anonymous browser: the name, the photo, the work entry.
    reader = anonymous_page(browser)
    opened = reader.goto(share_url)
    assert opened.status == 200
    assert opened.headers["content-type"].startswith("text/html")
    expect(reader.locator("h1")).to_have_text("Ada Lovelace")
    expect_work_entry(reader)
    assert loaded_width(reader.get_by_role("img", name="Photo of Ada Lovelace")) > 0
    screenshot(reader, "public-page", folder=ARTIFACTS)
    # Its PDF link downloads the PDF in the résumé's theme.
    with reader.expect_download(timeout=30_000) as downloaded:
        reader.get_by_role("link", name="Download PDF").click()
    assert downloaded.value.suggested_filename == "analyst.pdf"
    text = pdf_text(downloaded.value)
    assert "Ada Lovelace" in text
    assert "Analytical Engine" in text

    # The owner's button downloads the same résumé, in its theme.
    with (
        page.expect_response(re.compile(rf"{re.escape(resume_url)}pdf/\?theme={chosen}$")),
        page.expect_download() as downloaded,
    ):
        card.get_by_role("button", name="Download PDF").click()
    assert "Ada Lovelace" in pdf_text(downloaded.value)

    # Private again: the same link stops working, for the page and its PDF.
    with page.expect_response(is_call("PATCH", resume_url)) as made_private:
        public_switch.uncheck()
    assert made_private.value.request.post_data_json == {"is_public": False}
    expect(status).to_have_text("“Analyst” is private: its link no longer opens it.")
    expect(card.get_by_role("link", name="Open public page")).to_be_hidden()
    assert reader.goto(share_url).status == 404
    reader.context.close()
    # A browser that has not downloaded it lately (the redirect to the file may be cached for
    # a little while) gets the same page for the PDF's link.
    stranger = anonymous_page(browser)
    assert stranger.goto(f"{share_url}pdf/").status == 404
    stranger.context.close()


# A résumé as the tools people use write it: an empty URL, a URL without a scheme, a name from
# before JSON Resume 1.0, a free-form date, "Present", a null and text in a list of objects,
# a key of the sender's own, and a link in a scheme no page may link to.
LENIENT_DOCUMENT = {
    "basics": {
        "name": "Grace Hopper",
        "label": "Programmer",
        "url": "",
        "profiles": [
            {"network": "GitHub", "url": "github.com/grace"},
            {"network": "Elsewhere", "username": "grace", "url": "javascript:alert(1)"},
        ],
    },
    "work": [
        {"company": "Navy", "position": "Programmer", "startDate": "07/2025", "endDate": "Present"}
    ],
    "skills": [None, "COBOL"],
    "hobbies": ["sailing"],
}
# What the API stores of it.
CLEAN_DOCUMENT = {
    "basics": {
        "name": "Grace Hopper",
        "label": "Programmer",
        "profiles": [
            {"network": "GitHub", "url": "https://github.com/grace"},
            {"network": "Elsewhere", "username": "grace", "url": "javascript:alert(1)"},
        ],
    },
    "work": [{"name": "Navy", "position": "Programmer", "startDate": "2025-07"}],
    "skills": [{"name": "COBOL"}],
    "hobbies": ["sailing"],
}


def test_an_imported_document_is_listed_with_every_change_the_api_made(
    page, frontend, live_server, tmp_path
):
    api = live_server.url
    import_url = f"{api}/api/resumes/import/"
    status = page.locator("#status")
    page.goto(f"{frontend}/")
    sign_up_and_log_in(page, api, "grace")
    form = page.locator("#import-form")
    file_input = form.get_by_label("JSON Resume file")

    # A file that is not JSON: the API's message, under the file input.
    broken = tmp_path / "broken.json"
    broken.write_text('{"basics": {"name": "Grace"')
    file_input.set_input_files(broken)
    with page.expect_response(is_call("POST", import_url)) as refused:
        form.get_by_role("button", name="Import").click()
    assert refused.value.status == 400
    message = refused.value.json()["file"][0]
    assert message.startswith("Not valid JSON: ")
    expect(form.locator(".errors")).to_have_text(f"JSON Resume file: {message}")
    expect(file_input).to_have_attribute("aria-invalid", "true")

    # A value the API cannot read: its path and message (import errors name paths at the top
    # level), and no résumé.
    unreadable = tmp_path / "unreadable.json"
    unreadable.write_text(json.dumps({"work": [{"name": "Navy", "startDate": "one day"}]}))
    file_input.set_input_files(unreadable)
    with page.expect_response(is_call("POST", import_url)) as refused:
        form.get_by_role("button", name="Import").click()
    assert refused.value.status == 400
    [message] = refused.value.json()["work[0].startDate"]
    expect(form.locator(".errors")).to_have_text(f"work[0].startDate: {message}")
    expect(page.locator("#resume-count")).to_have_text("0 résumés")

    # The document as its tools wrote it, sent as a file.
    document = tmp_path / "resume.json"
    document.write_text(json.dumps(LENIENT_DOCUMENT))
    file_input.set_input_files(document)
    with page.expect_response(is_call("POST", import_url)) as imported:
        form.get_by_role("button", name="Import").click()
    assert imported.value.status == 201
    assert imported.value.request.headers["content-type"].startswith("multipart/form-data")
    resume = imported.value.json()
    changes = resume["content_changes"]
    assert [
        (change["path"], change["action"], change.get("from"), change.get("to"))
        for change in changes
    ] == [
        ("basics.url", "removed", "", None),
        ("basics.profiles[0].url", "rewritten", "github.com/grace", "https://github.com/grace"),
        ("work[0].company", "renamed", "company", "work[0].name"),
        ("work[0].startDate", "rewritten", "07/2025", "2025-07"),
        ("work[0].endDate", "removed", "Present", None),
        ("skills[0]", "removed", None, None),
        ("skills[1]", "rewritten", "COBOL", {"name": "COBOL"}),
        ("hobbies", "kept", None, None),
    ]
    reasons = [change["reason"] for change in changes]

    # The page: how many changes, each with its path, what was done, why, and the values as
    # text; the stored document in the editor beside them.
    expect(status).to_have_text(
        "“Grace Hopper – Programmer” imported with 7 changes; 1 key of your own kept "
        "(listed beside its content)."
    )
    listed = page.locator("#content-changes")
    expect(listed.get_by_role("heading")).to_have_text(
        "Imported with 7 changes; 1 key of your own kept"
    )
    expect(listed.get_by_role("heading")).to_be_focused()
    expect(listed.get_by_role("listitem")).to_have_text(
        [
            f'basics.url — removed: {reasons[0]} (was "")',
            f"basics.profiles[0].url — rewritten: {reasons[1]} "
            '(was "github.com/grace", now "https://github.com/grace")',
            f"work[0].company — renamed: {reasons[2]} (now at work[0].name)",
            f'work[0].startDate — rewritten: {reasons[3]} (was "07/2025", now "2025-07")',
            f'work[0].endDate — removed: {reasons[4]} (was "Present")',
            f"skills[0] — removed: {reasons[5]} (was null)",
            f'skills[1] — rewritten: {reasons[6]} (was "COBOL", now {{"name":"COBOL"}})',
            f"hobbies — kept: {reasons[7]}",
        ]
    )
    expect(page.locator("#content-title")).to_have_text("Content of “Grace Hopper – Programmer”")
    editor = page.get_by_label("Content (JSON)")
    assert json.loads(editor.input_value()) == CLEAN_DOCUMENT
    expect(page.locator("#resume-list > li .title")).to_have_text(["Grace Hopper – Programmer"])
    screenshot(page, "08-import-changes")

    # A path selects the value where the stored document has it: a renamed key under its new
    # name, a list's entry where it moved up to; a removed value has no place to select.
    selected = "e => e.value.slice(e.selectionStart, e.selectionEnd)"
    listed.get_by_role("button", name="work[0].company").click()
    expect(editor).to_be_focused()
    assert editor.evaluate(selected) == '"Navy"'
    listed.get_by_role("button", name="skills[1]").click()
    assert json.loads(editor.evaluate(selected)) == {"name": "COBOL"}
    listed.get_by_role("button", name="work[0].startDate").click()
    assert editor.evaluate(selected) == '"2025-07"'
    expect(listed.get_by_role("button")).to_have_count(5)  # none for the three removed

    # The stored résumé holds the clean values.
    stored = outside_playwright(lambda: Resume.objects.get(pk=resume["id"]).content)
    assert stored == CLEAN_DOCUMENT

    # Saving content lists the changes of that save.
    edited = {**CLEAN_DOCUMENT, "work": [{**CLEAN_DOCUMENT["work"][0], "endDate": "now"}]}
    editor.fill(json.dumps(edited, indent=2))
    with page.expect_response(is_call("PATCH", f"{api}/api/resumes/{resume['id']}/")) as saved:
        page.get_by_role("button", name="Save content").click()
    assert saved.value.status == 200
    ended, kept = saved.value.json()["content_changes"]
    assert (ended["path"], ended["action"], kept["path"]) == (
        "work[0].endDate",
        "removed",
        "hobbies",
    )
    expect(status).to_have_text(
        "Content of “Grace Hopper – Programmer” saved with 1 change; 1 key of your own kept "
        "(listed beside its content)."
    )
    expect(listed.get_by_role("heading")).to_have_text(
        "Saved with 1 change; 1 key of your own kept"
    )
    expect(listed.get_by_role("listitem")).to_have_text(
        [
            f'work[0].endDate — removed: {ended["reason"]} (was "now")',
            f"hobbies — kept: {kept['reason']}",
        ]
    )
    assert json.loads(editor.input_value()) == CLEAN_DOCUMENT

    # Links only ever go to http(s): nothing on the page links to the document's URLs, and
    # the preview links the profile with a web address only.
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
    assert all(re.match(r"https?://", href) for href in hrefs), hrefs
    page.get_by_role("button", name="Preview “Grace Hopper – Programmer”").click()
    # The preview is open once its heading has the focus (its page was fetched before).
    expect(
        page.get_by_role("heading", name="Preview of “Grace Hopper – Programmer”")
    ).to_be_focused()
    frame = page.frame_locator("#preview-frame")
    expect(frame.locator(".contact")).to_contain_text("grace")
    frame_hrefs = frame.locator("a[href]").evaluate_all("links => links.map(l => l.href)")
    assert "https://github.com/grace" in frame_hrefs
    assert all(re.match(r"https?://", href) for href in frame_hrefs), frame_hrefs
