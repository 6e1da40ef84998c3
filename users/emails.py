"""The e-mails an account gets, as djoser's e-mail classes (one template per message, with
blocks `subject`, `text_body` and `html_body`: a plain-text part and an HTML alternative).

They are built and sent by a background task (users.tasks), never in a request: a slow or
failing mail server delays nothing and changes no answer, and every request that may mail
an address answers the same whether it did or not.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from djoser.conf import settings as djoser_settings
from djoser.email import BaseDjoserEmail
from djoser.utils import encode_uid

from users.tokens import email_link_token


class AccountEmail(BaseDjoserEmail):
    """A message to an account's address; links open the frontend (FRONTEND_URL)."""

    def get_context_data(self) -> dict[str, Any]:
        context = super().get_context_data()
        context["frontend_url"] = settings.FRONTEND_URL
        context["timeout_days"] = settings.EMAIL_VERIFICATION_TIMEOUT // (24 * 3600)
        context["timeout_minutes"] = settings.PASSWORD_RESET_TIMEOUT // 60
        return context

    def link(self, fragment: str) -> str:
        return settings.FRONTEND_URL + fragment


class VerifyEmail(AccountEmail):
    """The link that verifies the account's address."""

    template_name = "users/email/verify_email.html"

    def get_context_data(self) -> dict[str, Any]:
        context = super().get_context_data()
        user = context["user"]
        token = email_link_token(
            user_id=user.pk, purpose="verify", address=user.email, current=user.email
        )
        url = djoser_settings.ACTIVATION_URL.format(uid=encode_uid(user.pk), token=token)
        context["url"] = self.link(url)
        return context


class EmailTakenNotice(AccountEmail):
    """Sent instead of a link when someone signs up with, or moves an account to, an address
    another account has verified: the mailbox's owner learns of it, the requester learns
    nothing."""

    template_name = "users/email/email_taken_notice.html"

    def get_context_data(self) -> dict[str, Any]:
        context = super().get_context_data()
        context["reset_url"] = self.link("#/forgot-password")
        return context


class PasswordReset(AccountEmail):
    """The link that sets a new password (Django's token generator: it expires after
    PASSWORD_RESET_TIMEOUT and stops working once the password changes)."""

    template_name = "users/email/password_reset.html"

    def get_context_data(self) -> dict[str, Any]:
        context = super().get_context_data()
        user = context["user"]
        url = djoser_settings.PASSWORD_RESET_CONFIRM_URL.format(
            uid=encode_uid(user.pk), token=default_token_generator.make_token(user)
        )
        context["url"] = self.link(url)
        return context


class PasswordChanged(AccountEmail):
    template_name = "users/email/password_changed.html"

    def get_context_data(self) -> dict[str, Any]:
        context = super().get_context_data()
        context["reset_url"] = self.link("#/forgot-password")
        return context


class EmailChangeConfirm(AccountEmail):
    """Sent to the new address: the link that moves the account to it."""

    template_name = "users/email/email_change_confirm.html"

    def get_context_data(self) -> dict[str, Any]:
        context = super().get_context_data()
        user = context["user"]
        token = email_link_token(
            user_id=user.pk, purpose="change", address=context["new_email"], current=user.email
        )
        context["url"] = self.link(f"#/confirm-email/{token}")
        return context


class EmailChanged(AccountEmail):
    """Sent to the old address once the account has moved to a new one: it names the new
    address only by a hint, since the old mailbox may no longer be the owner's."""

    template_name = "users/email/email_changed.html"

    def get_context_data(self) -> dict[str, Any]:
        context = super().get_context_data()
        local, _, domain = context["user"].email.partition("@")
        context["new_email_hint"] = f"{local[:1]}…@{domain}"
        return context


class AccountDeleted(AccountEmail):
    template_name = "users/email/account_deleted.html"


# What users.mail.send_after_commit names a message by.
ACCOUNT_EMAILS: dict[str, type[AccountEmail]] = {
    "verify_email": VerifyEmail,
    "email_taken_notice": EmailTakenNotice,
    "password_reset": PasswordReset,
    "password_changed": PasswordChanged,
    "email_change_confirm": EmailChangeConfirm,
    "email_changed": EmailChanged,
    "account_deleted": AccountDeleted,
}
