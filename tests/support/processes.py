"""The project run in a fresh interpreter, as a deployment would start it."""

import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import requests

PROJECT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "api.example.com",
    "AWS_STORAGE_BUCKET_NAME": "resume-prod",
    "AWS_S3_REGION_NAME": "eu-west-1",
}


def run_django(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean_env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": os.devnull,  # a developer's .env must not change the outcome
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **env,
    }
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, *args],
        cwd=PROJECT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_value(env: dict[str, str], expression: str) -> object:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({expression}, default=str))"
    )
    result = run_django(env, "-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def get_when_up(url: str) -> requests.Response:
    """GET `url` once the server accepts connections (it may take a while to boot)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return requests.get(url, timeout=30)
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
