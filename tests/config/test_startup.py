"""Starting the project: with the example env file, and with DEBUG off."""

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from devtools.moto_s3 import free_port
from tests.support.processes import PROJECT, get_when_up, run_django, settings_value

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


def production(tmp_path: Path) -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
    }


@contextmanager
def gunicorn(env: dict[str, str], port: int) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=PROJECT,
        env={"PATH": os.environ["PATH"], "ENV_FILE": os.devnull, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
        process.communicate(timeout=30)


def test_without_collected_static_files_gunicorn_refuses_to_start(tmp_path):
    with gunicorn(production(tmp_path), free_port()) as process:
        _, stderr = process.communicate(timeout=60)

    assert process.returncode != 0
    assert "The static files have not been collected" in stderr
    assert "Run `python manage.py collectstatic --noinput`" in stderr


def test_without_collected_static_files_runserver_refuses_to_start(tmp_path):
    result = run_django(production(tmp_path), "manage.py", "runserver", "--noreload", "127.0.0.1:0")

    assert result.returncode != 0
    assert "Run `python manage.py collectstatic --noinput`" in result.stderr


def test_after_collectstatic_the_admin_and_swagger_ui_are_served(tmp_path):
    env = production(tmp_path)
    assert run_django(env, "manage.py", "collectstatic", "--noinput").returncode == 0
    port = free_port()

    with gunicorn(env, port):
        base = f"http://127.0.0.1:{port}"
        admin = get_when_up(f"{base}/admin/login/")
        swagger = requests.get(f"{base}/swagger/", timeout=30)

    assert admin.status_code == 200
    assert swagger.status_code == 200
    assert "/static/drf-yasg/" in swagger.text


def test_a_worker_or_beat_without_a_broker_says_so_and_stops(tmp_path):
    beat_state = ("--schedule", str(tmp_path / "celerybeat-schedule"))
    for program, *options in (("worker",), ("beat", *beat_state)):
        result = run_django({"DEBUG": "1"}, "-m", "celery", "-A", "config", program, *options)

        assert result.returncode == 1, (program, result.stdout, result.stderr)
        assert "No broker: set REDIS_URL or CELERY_BROKER_URL" in result.stderr
