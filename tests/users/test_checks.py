"""Mail settings from the environment, and the deployment checks of account e-mails (each
case starts a fresh interpreter to read them)."""

import pytest

from tests.support.processes import PRODUCTION_ENV, run_django, settings_value


@pytest.mark.parametrize(
    ("missing", "check"), [("FRONTEND_URL", "users.W001"), ("EMAIL_HOST", "users.W002")]
)
def test_check_deploy_warns_without_frontend_url_or_mail_server(missing, check):
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != missing}

    result = run_django(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode != 0
    assert check in result.stderr + result.stdout


def test_mail_goes_to_the_console_without_a_mail_server():
    env = {"DEBUG": "1"}

    assert settings_value(env, "settings.EMAIL_BACKEND").endswith("console.EmailBackend")


def test_mail_goes_over_smtp_with_starttls_from_the_environment():
    env = {
        **PRODUCTION_ENV,
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "smtp-secret",
        "DEFAULT_FROM_EMAIL": "Résumés <no-reply@example.com>",
    }

    values = settings_value(
        env,
        "[settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, "
        "settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD, settings.EMAIL_USE_TLS, "
        "settings.EMAIL_USE_SSL, settings.EMAIL_TIMEOUT, settings.DEFAULT_FROM_EMAIL]",
    )

    assert values == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.com",
        587,
        "mailer",
        "smtp-secret",
        True,
        False,
        10,
        "Résumés <no-reply@example.com>",
    ]


def test_implicit_tls_turns_starttls_off_and_both_are_refused():
    ssl = {**PRODUCTION_ENV, "EMAIL_USE_SSL": "1", "EMAIL_PORT": "465"}
    both = {**ssl, "EMAIL_USE_TLS": "1"}

    assert settings_value(ssl, "[settings.EMAIL_USE_SSL, settings.EMAIL_USE_TLS]") == [True, False]
    refused = run_django(both, "manage.py", "check")
    assert refused.returncode != 0
    assert "Set one of EMAIL_USE_TLS and EMAIL_USE_SSL" in refused.stderr
