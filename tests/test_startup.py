"""Starting the project: with the example env file, and with DEBUG off."""

import secrets

from tests.test_settings import run_django, settings_value

EXAMPLE = {"ENV_FILE": ".env.example"}
SECURITY = (
    "[settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, "
    "settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD, "
    "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE]"
)


def test_the_example_env_file_starts_as_the_readme_says():
    result = run_django(EXAMPLE, "manage.py", "check")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    engine = settings_value(EXAMPLE, "settings.DATABASES['default']['ENGINE']")
    assert engine == "django.db.backends.sqlite3"


def test_the_example_env_file_keeps_production_security_with_debug_off():
    env = {**EXAMPLE, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50)}

    assert settings_value(env, SECURITY) == [True, 31536000, True, True, True, True]


def test_an_empty_value_means_the_default():
    env = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": "",
        "SECURE_SSL_REDIRECT": "",
        "SECURE_HSTS_SECONDS": " ",
        "SECURE_HSTS_PRELOAD": "",
    }

    values = settings_value(env, f"[{SECURITY}, settings.DATABASES['default']['ENGINE']]")

    assert values == [[True, 31536000, True, True, True, True], "django.db.backends.sqlite3"]
