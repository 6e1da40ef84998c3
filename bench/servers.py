"""Start and stop what the benchmark measures: moto's S3 server and the API under gunicorn."""

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from devtools.moto_s3 import LocalS3, free_port

PROJECT = Path(__file__).resolve().parent.parent
BUCKET = "resume-api-bench"


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
        s3.client().create_bucket(Bucket=BUCKET)
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
        "DJANGO_SETTINGS_MODULE": "bench.settings",
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
def api_server(env: dict[str, str], workdir: Path, workers: int = 2) -> Iterator[ApiServer]:
    port = free_port()
    access_log = workdir / "access.log"
    # Request path, status and time taken in microseconds: how long a worker was busy.
    log_format = "%(m)s %(U)s %(s)s %(D)s"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
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
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "gunicorn.log", "w"),  # noqa: SIM115 - closed with the process
    )
    server = ApiServer(f"http://127.0.0.1:{port}", process, access_log, env)
    try:
        wait_until_up(f"{server.base_url}/api/auth/me/")
        # Every worker must be forked before the harness reads their /proc entries.
        deadline = time.monotonic() + 30
        while len(server.worker_pids()) < workers and time.monotonic() < deadline:
            time.sleep(0.2)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
