"""Start and stop what the benchmark measures: moto's S3 server, the API under gunicorn, and
the straightforward design it is compared with (the shared reference design, run as it is)."""

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from devtools.moto_s3 import LocalS3, free_port

PROJECT = Path(__file__).resolve().parent.parent
BUCKET = "resume-api-bench"
REFERENCE_BUCKET = "reference-design-bench"
# The straightforward design measured beside the API: a folder shared next to the project,
# not part of it (so not of a CI clone elsewhere).
REFERENCE_DESIGN_VARIABLE = "BENCH_REFERENCE_DESIGN"
DEFAULT_REFERENCE_DESIGN = PROJECT.parent / "shared" / "reference-design"


def reference_design_folder() -> Path:
    return Path(os.environ.get(REFERENCE_DESIGN_VARIABLE) or DEFAULT_REFERENCE_DESIGN)


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except (requests.ConnectionError, requests.Timeout):
            # Gunicorn's master accepts before a worker has loaded the project.
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {timeout} s")


@contextmanager
def moto_server() -> Iterator[LocalS3]:
    """moto's S3 server in its own process, so it does not share a CPU lock with anything."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    s3 = LocalS3(endpoint_url=f"http://127.0.0.1:{port}", bucket=BUCKET)
    try:
        wait_until_up(s3.endpoint_url)
        for bucket in (BUCKET, REFERENCE_BUCKET):
            s3.client().create_bucket(Bucket=bucket)
        yield s3
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class ApiServer:
    base_url: str
    process: subprocess.Popen
    access_log: Path
    env: dict[str, str] = field(repr=False)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]


def api_environment(s3: LocalS3, workdir: Path) -> dict[str, str]:
    """Production settings on loopback: DEBUG off, plain HTTP, images on the moto server."""
    env = {
        **os.environ,
        **s3.environment(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ENV_FILE": os.devnull,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING",
        # The harness logs in many times; throttling is not what it measures.
        "THROTTLE_LOGIN_RATE": "100000/minute",
        "THROTTLE_REGISTER_RATE": "100000/minute",
        "THROTTLE_PUBLIC_RESUME_RATE": "100000/minute",
        # No broker: PDFs render in the API's process, as in `make run`.
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
    }
    if not os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def gunicorn_server(
    env: dict[str, str], cwd: Path, workdir: Path, name: str, workers: int = 2
) -> Iterator[ApiServer]:
    """`config.wsgi` of the project in `cwd` under gunicorn, `workers` sync workers."""
    port = free_port()
    access_log = workdir / f"{name}-access.log"
    # Request path, status and time taken in microseconds: how long a worker was busy.
    log_format = "%(m)s %(U)s %(s)s %(D)s"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            log_format,
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / f"{name}-gunicorn.log", "w"),  # noqa: SIM115 - closed with it
    )
    server = ApiServer(f"http://127.0.0.1:{port}", process, access_log, env)
    try:
        wait_until_up(f"{server.base_url}/api/")
        # Every worker must be forked before the harness reads their /proc entries.
        deadline = time.monotonic() + 30
        while len(server.worker_pids()) < workers and time.monotonic() < deadline:
            time.sleep(0.2)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def api_server(env: dict[str, str], workdir: Path) -> AbstractContextManager[ApiServer]:
    return gunicorn_server(env, PROJECT, workdir, "api")


@dataclass
class Reference:
    """The straightforward design, running: its server and its one user's token."""

    server: ApiServer
    token: str
    user_id: int


@contextmanager
def reference_server(folder: Path, s3: LocalS3, workdir: Path) -> Iterator[Reference]:
    """The reference design from `folder`, as its README starts it: this virtualenv's
    Python, production-like (DEBUG off), its own SQLite database and bucket."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AWS_", "DATABASE_"))
    }
    env.update(
        {
            **LocalS3(s3.endpoint_url, REFERENCE_BUCKET).environment(),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "BASELINE_DB": str(workdir / "reference.sqlite3"),
        }
    )
    run = {"cwd": folder, "env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], **run)
    created = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.contrib.auth.models import User; "
            "from rest_framework.authtoken.models import Token; "
            "u = User.objects.create_user('bench', password='x'); "
            "print(u.pk, Token.objects.create(user=u).key)",
        ],
        **run,
    )
    user_id, token = created.stdout.split()[-2:]
    with gunicorn_server(env, folder, workdir, "reference") as server:
        yield Reference(server, token, int(user_id))
