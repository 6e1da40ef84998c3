"""An account's life on the try-it page, in a real browser: sign-up and the e-mailed
verification link, a changed password and e-mail address, log out everywhere, forgot
password and the e-mailed reset link, an export, and deletion. The API (live_server) sends
its mail from tasks run in-process at commit, into Django's test outbox; the links in it
open the page (FRONTEND_URL is the page's address)."""

import json
import re
import time
import zipfile
from io import BytesIO

import pytest
import requests
from django.core.mail import EmailMessage
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from tests.support.browser import (
    is_call,
    needs_chromium,
    outside_playwright,
    screenshot,
    sign_up,
)
from users.models import User

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]

CHANGED_PASSWORD = "analytical-engine-notes-1843"
RESET_PASSWORD = "bernoulli-numbers-table-g-1842"
# The mail is sent before the API answers; this only bounds a wait that should not happen.
MAIL_WAIT_SECONDS = 10


class Outbox:
    """Django's test outbox, read in the order the API sent the mail."""

    def __init__(self, messages: list[EmailMessage], page_url: str) -> None:
        self.messages = messages
        self.page_url = page_url
        self.read = 0

    def next(self, to: str) -> EmailMessage:
        """The first message not read yet, once it has been sent; it must be to `to`."""
        deadline = time.monotonic() + MAIL_WAIT_SECONDS
        while len(self.messages) <= self.read:
            assert time.monotonic() < deadline, f"no mail after the first {self.read}"
            time.sleep(0.05)
        message = self.messages[self.read]
        self.read += 1
        assert message.to == [to], (message.to, message.subject)
        return message

    def link(self, to: str, route: str) -> str:
        """The link to the page's `route` (e.g. "verify-email") in the next message to `to`."""
        body = self.next(to).body
        found = re.search(rf"{re.escape(self.page_url)}#/{route}/\S+", body)
        assert found, body
        return found.group()

    def expect_read(self) -> None:
        """Every message sent has been read: nothing was sent that the test did not expect."""
        assert [message.subject for message in self.messages[self.read :]] == []


def log_in(page: Page, username: str, password: str) -> None:
    login = page.locator("#login-form")
    login.get_by_label("Username").fill(username)
    login.get_by_label("Password").fill(password)
    login.get_by_role("button", name="Log in").click()


def login_answer(api: str, username: str, password: str) -> int:
    """The status of logging in with `password`, through the API."""
    credentials = {"username": username, "password": password}
    return requests.post(f"{api}/api/auth/token/", json=credentials, timeout=10).status_code


def open_account_forms(page: Page) -> None:
    forms = page.locator("#account-forms")
    if not forms.evaluate("details => details.open"):
        forms.locator("summary").click()


# The export's link must work outside the test's process: moto's S3 server.
@pytest.mark.parametrize("bucket", ["moto"], indirect=True)
def test_an_account_from_sign_up_to_deletion(
    page, frontend, live_server, settings, mailoutbox, bucket
):
    api = live_server.url
    page_url = f"{frontend}/"
    settings.FRONTEND_URL = page_url
    outbox = Outbox(mailoutbox, page_url)
    status = page.locator("#status")
    email = page.locator("#email")
    email_state = page.locator("#email-state")

    # Sign up: the page says a link is on its way, and it is.
    page.goto(page_url)
    sign_up(page, "ada", "ada@example.com", PASSWORD)
    outbox.link("ada@example.com", "verify-email")

    # Logged in before verifying: the account panel says so, and sends a new link.
    log_in(page, "ada", PASSWORD)
    expect(page.locator("#session")).to_contain_text("Signed in as ada")
    expect(email).to_have_text("ada@example.com")
    expect(email_state).to_have_text("not verified")
    page.get_by_role("button", name="Resend verification e-mail").click()
    expect(status).to_have_text("We sent a new verification link to ada@example.com.")
    verify_link = outbox.link("ada@example.com", "verify-email")
    screenshot(page, "accounts-01-unverified")

    # The link, opened in the page: verified at once, and the token leaves the address.
    with page.expect_response(is_call("POST", f"{api}/api/auth/email/verify/")) as verified:
        page.goto(verify_link)
    assert verified.value.status == 200
    expect(status).to_have_text("Your e-mail address ada@example.com is verified.")
    expect(email_state).to_have_text("verified")
    expect(page.get_by_role("button", name="Resend verification e-mail")).to_be_hidden()
    expect(page).to_have_url(page_url)

    # Change the password: the API's new token pair is the page's from then on.
    open_account_forms(page)
    password_form = page.locator("#password-form")
    password_form.get_by_label("Current password").fill(PASSWORD)
    password_form.get_by_label("New password").fill(CHANGED_PASSWORD)
    with page.expect_response(is_call("POST", f"{api}/api/auth/password/change/")) as changed:
        password_form.get_by_role("button", name="Change password").click()
    assert changed.value.status == 200
    pair = changed.value.json()
    expect(status).to_have_text(
        "Password changed. Everywhere else, the account has to log in again."
    )
    outbox.next("ada@example.com")  # the notice of the change

    # Change the e-mail address: a wrong password is named beside its field.
    email_form = page.locator("#email-form")
    email_form.get_by_label("New e-mail address").fill("lovelace@example.com")
    email_form.get_by_label("Current password").fill(PASSWORD)
    with page.expect_response(is_call("POST", f"{api}/api/auth/email/change/")) as refused:
        email_form.get_by_role("button", name="Change e-mail").click()
    assert refused.value.status == 400
    [message] = refused.value.json()["current_password"]
    expect(email_form.locator(".errors")).to_have_text(f"Current password: {message}")
    expect(email_form.get_by_label("Current password")).to_have_attribute("aria-invalid", "true")
    email_form.get_by_label("Current password").fill(CHANGED_PASSWORD)
    with page.expect_response(is_call("POST", f"{api}/api/auth/email/change/")) as asked:
        email_form.get_by_role("button", name="Change e-mail").click()
    assert asked.value.status == 202
    assert asked.value.request.headers["authorization"] == f"Bearer {pair['access']}"
    expect(status).to_have_text(
        "We sent a confirmation link to lovelace@example.com. Your address changes when you "
        "open it; until then it stays ada@example.com."
    )
    expect(email).to_have_text("ada@example.com")
    confirm_link = outbox.link("lovelace@example.com", "confirm-email")
    page.goto(confirm_link)
    expect(status).to_have_text("Your e-mail address is now lovelace@example.com.")
    expect(email).to_have_text("lovelace@example.com")
    expect(email_state).to_have_text("verified")
    expect(page).to_have_url(page_url)
    outbox.next("ada@example.com")  # the old address is told

    # The old verification link, opened in a new tab, names an address the account no
    # longer has: refused, and a new link is offered.
    tab = page.context.new_page()
    tab.goto(verify_link)
    expect(tab.locator("#errors")).to_have_text(re.compile(r"^The link: This link is invalid"))
    expect(tab.get_by_role("form", name="Send a new verification link")).to_be_visible()
    expect(tab).to_have_url(page_url)
    tab.close()

    # Log out everywhere: the page's refresh token (the pair from the change) is revoked.
    with page.expect_response(is_call("POST", f"{api}/api/auth/logout/all/")) as revoked:
        page.get_by_role("button", name="Log out everywhere").click()
    assert revoked.value.status == 204
    expect(status).to_have_text(
        "Logged out everywhere: every refresh token of the account is revoked."
    )
    expect(page.locator("#login-form")).to_be_visible()
    expect(page.locator("#account-panel")).to_be_hidden()
    renewal = requests.post(
        f"{api}/api/auth/token/refresh/", json={"refresh": pair["refresh"]}, timeout=10
    )
    assert renewal.status_code == 401

    # Forgot password: the same answer for an address no account has (and no mail) as for
    # the account's.
    forgot = page.locator("#forgot-form")
    login = page.locator("#login-form")
    for address in ("nobody@example.com", "lovelace@example.com"):
        page.get_by_role("button", name="Forgot your password?").click()
        expect(forgot.get_by_label("E-mail")).to_be_focused()
        expect(login).to_be_hidden()
        forgot.get_by_label("E-mail").fill(address)
        with page.expect_response(is_call("POST", f"{api}/api/auth/password/reset/")) as asked:
            forgot.get_by_role("button", name="Send the link").click()
        assert asked.value.status == 202
        expect(status).to_have_text(
            "If an account has this address, we sent a link to it: open it to choose a new "
            "password."
        )
        expect(forgot).to_be_hidden()
        expect(login).to_be_visible()
    reset_link = outbox.link("lovelace@example.com", "reset-password")

    # The reset link: a form for the new password, which the API's validators check.
    page.goto(reset_link)
    reset = page.locator("#reset-form")
    expect(reset.get_by_label("New password")).to_be_focused()
    expect(page).to_have_url(page_url)
    reset.get_by_label("New password").fill("ada")
    with page.expect_response(
        is_call("POST", f"{api}/api/auth/password/reset/confirm/")
    ) as too_weak:
        reset.get_by_role("button", name="Set the new password").click()
    assert too_weak.value.status == 400
    expect(reset.locator(".errors li")).to_have_text(
        [f"New password: {message}" for message in too_weak.value.json()["new_password"]]
    )
    screenshot(page, "accounts-02-reset-refused")
    reset.get_by_label("New password").fill(RESET_PASSWORD)
    with page.expect_response(is_call("POST", f"{api}/api/auth/password/reset/confirm/")) as done:
        reset.get_by_role("button", name="Set the new password").click()
    assert done.value.status == 204
    expect(status).to_have_text("Your password is changed: log in with the new one.")
    expect(reset).to_be_hidden()
    outbox.next("lovelace@example.com")  # the notice of the change

    # The password before the reset no longer logs in; the new one does.
    with page.expect_response(is_call("POST", f"{api}/api/auth/token/")) as refused:
        log_in(page, "ada", CHANGED_PASSWORD)
    assert refused.value.status == 401
    expect(login.locator(".errors")).to_have_text(refused.value.json()["detail"])
    log_in(page, "ada", RESET_PASSWORD)
    expect(page.locator("#session")).to_contain_text("Signed in as ada")
    expect(email).to_have_text("lovelace@example.com")

    # Export: the page waits until the API has the ZIP, then links to it.
    open_account_forms(page)
    page.get_by_role("button", name="Export my data").click()
    expect(status).to_have_text("Your export is ready.")
    download = page.get_by_role("link", name="Download the export")
    expect(download).to_be_focused()
    archive = requests.get(download.get_attribute("href"), timeout=10)
    assert archive.status_code == 200
    assert re.fullmatch(
        r'attachment; filename="resume-export-ada-\d{8}\.zip"',
        archive.headers["Content-Disposition"],
    )
    with zipfile.ZipFile(BytesIO(archive.content)) as exported:
        account = json.loads(exported.read("profile.json"))["account"]
    assert (account["username"], account["email"]) == ("ada", "lovelace@example.com")
    screenshot(page, "accounts-03-export")

    # Delete the account: only with the box ticked and the password.
    delete = page.locator("#delete-account-form")
    delete_button = delete.get_by_role("button", name="Delete my account")
    delete.get_by_label("Your password").fill(RESET_PASSWORD)
    delete_button.click()
    confirm_box = delete.get_by_role("checkbox")
    expect(confirm_box).to_have_attribute("aria-invalid", "true")
    expect(delete.locator(".errors")).to_contain_text("Tick this box to confirm")
    confirm_box.check()
    delete.get_by_label("Your password").fill(CHANGED_PASSWORD)
    with page.expect_response(is_call("POST", f"{api}/api/auth/me/delete/")) as refused:
        delete_button.click()
    assert refused.value.status == 400
    [message] = refused.value.json()["current_password"]
    expect(delete.locator(".errors")).to_have_text(f"Your password: {message}")
    delete.get_by_label("Your password").fill(RESET_PASSWORD)
    with page.expect_response(is_call("POST", f"{api}/api/auth/me/delete/")) as deleted:
        delete_button.click()
    assert deleted.value.status == 204
    expect(status).to_have_text("The account “ada” and everything in it are deleted.")
    expect(page.locator("#login-form")).to_be_visible()
    expect(page.locator("#session")).to_be_hidden()
    screenshot(page, "accounts-04-deleted")
    assert not outside_playwright(lambda: User.objects.filter(username="ada").exists())
    assert login_answer(api, "ada", RESET_PASSWORD) == 401
    outbox.next("lovelace@example.com")  # the goodbye
    outbox.expect_read()


def test_where_logging_in_needs_a_verified_address_the_page_offers_a_new_link(
    page, frontend, live_server, settings, mailoutbox
):
    api = live_server.url
    page_url = f"{frontend}/"
    settings.FRONTEND_URL = page_url
    settings.ACCOUNT_UNVERIFIED_LOGIN = False
    outbox = Outbox(mailoutbox, page_url)
    status = page.locator("#status")
    page.goto(page_url)
    sign_up(page, "grace", "grace@example.com", PASSWORD)
    outbox.next("grace@example.com")  # a link that, say, went astray

    with page.expect_response(is_call("POST", f"{api}/api/auth/token/")) as refused:
        log_in(page, "grace", PASSWORD)
    assert refused.value.status == 403
    expect(page.locator("#login-form .errors")).to_have_text(refused.value.json()["detail"])
    resend = page.get_by_role("form", name="Send a new verification link")
    resend.get_by_label("E-mail").fill("grace@example.com")
    resend.get_by_role("button", name="Send a new link").click()
    expect(status).to_have_text(
        "If this address has an account to verify, we sent a new link to it."
    )
    expect(resend).to_be_hidden()
    page.goto(outbox.link("grace@example.com", "verify-email"))
    expect(status).to_have_text("Your e-mail address grace@example.com is verified.")
    log_in(page, "grace", PASSWORD)
    expect(page.locator("#email-state")).to_have_text("verified")

    # The link in the notices of a password change: logged in, it opens the change of
    # password; logged out, the form that mails a reset link.
    page.goto(f"{page_url}#/forgot-password")
    expect(page.locator("#password-form").get_by_label("Current password")).to_be_focused()
    expect(page).to_have_url(page_url)
    page.get_by_role("button", name="Log out", exact=True).click()
    expect(page.locator("#login-form")).to_be_visible()
    page.goto(f"{page_url}#/forgot-password")
    expect(page.locator("#forgot-form").get_by_label("E-mail")).to_be_focused()
    outbox.expect_read()
