"""Deployment checks of the account flows (`manage.py check --deploy`)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning


def account_mail_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Account e-mails need a way out and somewhere for their links to open."""
    problems: list[CheckMessage] = []
    if not settings.FRONTEND_URL.endswith("/"):
        problems.append(
            Warning(
                "FRONTEND_URL is not set, or does not end with '/': the links in account "
                "e-mails (verification, password reset) would not open the frontend.",
                hint="Set FRONTEND_URL to the frontend's address, e.g. https://app.example.com/.",
                id="users.W001",
            )
        )
    if not settings.DEBUG and not settings.EMAIL_HOST:
        problems.append(
            Warning(
                "EMAIL_HOST is not set: account e-mails are written to the console instead of "
                "being sent, so nobody can verify an address or reset a password.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
                "DEFAULT_FROM_EMAIL) to your SMTP server.",
                id="users.W002",
            )
        )
    return problems
