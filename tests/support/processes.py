"""The project run in a fresh interpreter, as a deployment would start it."""

import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

PROJECT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "api.example.com",
    "AWS_STORAGE_BUCKET_NAME": "resume-prod",
    "AWS_S3_REGION_NAME": "eu-west-1",
    "FRONTEND_URL": "https://app.example.com/",
    "EMAIL_HOST": "smtp.example.com",
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


@contextmanager
def celery_worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """`celery -A config worker` (one prefork process, as `make worker` runs it) with `env` as
    its whole environment besides PATH; its output goes to `log`. Stopped with a warm
    shutdown (SIGTERM) at the end."""
    command = [
        *(sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO"),
        *("--concurrency", "1", "--without-gossip", "--without-mingle"),
        *("--hostname", f"test-{os.getpid()}@%h"),
    ]
    environment = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **env,
    }
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
            command, cwd=PROJECT, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(
    condition: Callable[[], Any], process: subprocess.Popen, log: Path, seconds: float = 60
) -> Any:
    """Poll `condition` until it returns something true, while `process` runs; fails with
    the end of its log otherwise."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        if process.poll() is not None:
            break
        time.sleep(0.2)
    state = "exited" if process.poll() is not None else f"still waiting after {seconds} s"
    raise AssertionError(f"{state}; its log ends:\n{log.read_text(errors='replace')[-4000:]}")
