"""Account e-mails: what they say, that they leave through a real SMTP server, and what
sending does when the server fails."""

import email
import smtplib
from email.message import Message
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope
from celery.exceptions import Retry

from devtools.moto_s3 import free_port
from tests.factories import PASSWORD, UserFactory
from tests.support.mail import html_part, link_in
from users.emails import ACCOUNT_EMAILS
from users.tasks import refused_for_good, send_account_email

pytestmark = pytest.mark.django_db

RESET = "/api/auth/password/reset/"
RESET_CONFIRM = "/api/auth/password/reset/confirm/"


# --- What they say --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(ACCOUNT_EMAILS))
def test_every_email_has_a_subject_a_text_body_and_an_html_alternative(kind, settings):
    user = UserFactory(username="o'brien", email="ob@example.com")
    context = {"user": user, "new_email": "new@example.com", "address": "ob@example.com"}
    context["username"] = user.username

    message = ACCOUNT_EMAILS[kind](context=context)
    message.render()

    assert message.subject and "\n" not in message.subject
    assert settings.SITE_NAME in message.subject
    assert message.body and "<p>" not in message.body
    html = html_part(message)
    assert html.startswith("<p>")
    # Plain text is not HTML-escaped; the HTML part is.
    if "o'brien" in message.body:
        assert "o&#x27;brien" in html


def test_links_open_the_frontend_and_hold_no_address(settings, mailoutbox, anon):
    UserFactory(username="alice", email_verified=True)

    anon.post(RESET, {"email": "alice@example.com"}, format="json")

    (message,) = mailoutbox
    uid, token = link_in(message, "reset-password")
    assert settings.FRONTEND_URL == "http://frontend.test/app/"
    assert "alice" not in uid + token


# --- Through a real SMTP server on loopback ---------------------------------------------------


class Mailbox:
    """An aiosmtpd handler keeping what it receives."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server, session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


def accept_only(user: str, password: str):
    def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
        good = auth_data.login == user.encode() and auth_data.password == password.encode()
        return AuthResult(success=good)

    return authenticate


@pytest.fixture
def smtp_server(settings):
    """aiosmtpd on a loopback port, requiring the login in settings; Django sends to it."""
    mailbox = Mailbox()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=accept_only("mailer", "smtp-secret"),
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = "mailer"
    settings.EMAIL_HOST_PASSWORD = "smtp-secret"
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "resume-api <no-reply@resume.example>"
    yield mailbox
    controller.stop()


def parsed(envelope: Envelope) -> Message:
    return email.message_from_bytes(envelope.original_content, policy=default_policy)


def test_a_reset_mail_goes_through_smtp_and_its_link_works(smtp_server, anon):
    UserFactory(username="alice")

    answer = anon.post(RESET, {"email": "alice@example.com"}, format="json")

    assert answer.status_code == 202
    (envelope,) = smtp_server.envelopes
    assert envelope.mail_from == "no-reply@resume.example"
    assert envelope.rcpt_tos == ["alice@example.com"]
    message = parsed(envelope)
    assert message["To"] == "alice@example.com"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Reset your password" in message["Subject"]
    link = text.split("#/reset-password/")[1].split()[0]
    assert f"#/reset-password/{link}" in html
    uid, token = link.split("/")
    reset = anon.post(
        RESET_CONFIRM,
        {"uid": uid, "token": token, "new_password": "Difference-Engine-1822"},
        format="json",
    )
    assert reset.status_code == 204


def test_a_failing_mail_server_fails_no_request(settings, anon, caplog):
    UserFactory(username="alice")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    settings.EMAIL_USE_TLS = False

    answer = anon.post(RESET, {"email": "alice@example.com"}, format="json")

    assert answer.status_code == 202
    assert "password_reset e-mail could not be sent" in caplog.text
    assert "alice@example.com" not in caplog.text


# --- Retries on a worker ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "for_good"),
    [
        (smtplib.SMTPRecipientsRefused({"a@x.example": (550, b"no such user")}), True),
        (smtplib.SMTPRecipientsRefused({"a@x.example": (450, b"mailbox busy")}), False),
        (smtplib.SMTPDataError(554, b"rejected"), True),
        (smtplib.SMTPSenderRefused(451, b"try later", "me@x.example"), False),
        (smtplib.SMTPServerDisconnected("gone"), False),
        (ConnectionRefusedError(), False),
        (TimeoutError(), False),
    ],
)
def test_only_a_permanent_refusal_is_given_up(error, for_good):
    assert refused_for_good(error) is for_good


class FailingMessage:
    def __init__(self, context):
        pass

    def send(self, to):
        raise self.error


@pytest.fixture
def on_a_worker(monkeypatch):
    """The task as a worker runs it (not in-process), its retries recorded, not queued."""
    retries: list[dict] = []

    def record_retry(exc, countdown):
        retries.append({"exc": exc, "countdown": countdown})
        return Retry(exc=exc, when=countdown)

    monkeypatch.setattr(send_account_email, "retry", record_retry)
    send_account_email.push_request(is_eager=False, retries=3)
    yield retries
    send_account_email.pop_request()


@pytest.mark.parametrize(
    ("error", "retried"),
    [(ConnectionRefusedError(), True), (smtplib.SMTPDataError(554, b"rejected"), False)],
)
def test_a_worker_retries_what_may_pass_with_a_capped_backoff(
    on_a_worker, monkeypatch, settings, error, retried
):
    user = UserFactory(password=PASSWORD)
    FailingMessage.error = error
    monkeypatch.setitem(ACCOUNT_EMAILS, "password_reset", FailingMessage)

    if retried:
        with pytest.raises(Retry):
            send_account_email.run("password_reset", user.email, user.pk, {})
        (retry,) = on_a_worker
        assert 0 <= retry["countdown"] <= min(2**3, settings.EMAIL_SEND_RETRY_BACKOFF_MAX_SECONDS)
    else:
        send_account_email.run("password_reset", user.email, user.pk, {})
        assert on_a_worker == []


def test_no_mail_for_an_account_deleted_before_its_mail_was_sent(mailoutbox):
    user = UserFactory()
    user_id, address = user.pk, user.email
    user.delete()

    send_account_email.run("password_reset", address, user_id, {})

    assert mailoutbox == []
