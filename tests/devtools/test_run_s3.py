"""`make run-s3` keeps photos in moto's memory: after a restart no row may point at one."""

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from devtools.moto_s3 import ACCESS_KEY, REGION, SECRET_KEY, free_port
from tests.factories import PASSWORD
from tests.support import images
from tests.support.processes import PROJECT, get_when_up

BUCKET = "run-s3-test"


@pytest.fixture
def ports() -> dict[str, int]:
    return {"api": free_port(), "s3": free_port()}


@contextmanager
def run_s3(ports: dict[str, int], database: Path, log: Path) -> Iterator[str]:
    """`make run-s3` on free ports; stopped with Ctrl-C (SIGINT to its process group)."""
    command = [
        *(sys.executable, "-m", "devtools.run_s3", "--bucket", BUCKET),
        *("--port", str(ports["api"]), "--s3-port", str(ports["s3"])),
        *("--database", str(database)),
    ]
    env = {"PATH": os.environ["PATH"], "ENV_FILE": os.devnull, "DEBUG": "1"}
    with log.open("a") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed interpreter and arguments
            command, cwd=PROJECT, env=env, stdout=output, stderr=output, start_new_session=True
        )
    try:
        yield f"http://127.0.0.1:{ports['api']}"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)


def stored_keys(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT image, image_thumbnail FROM resumes_resume").fetchall()
    return [key for row in rows for key in row if key]


def exists(bucket, key: str) -> bool:
    try:
        bucket.head_object(Bucket=BUCKET, Key=key)
    except ClientError:
        return False
    return True


def sign_up_and_create(api: str) -> requests.Response:
    user = {"username": "ada", "email": "ada@example.com", "password": PASSWORD}
    assert get_when_up(f"{api}/api/auth/register/").status_code == 405  # GET: the server is up
    assert requests.post(f"{api}/api/auth/register/", json=user, timeout=30).status_code == 201
    tokens = requests.post(f"{api}/api/auth/token/", json=user, timeout=30).json()
    return requests.post(
        f"{api}/api/resumes/",
        data={"title": "Engineer"},
        files={"image": ("photo.jpg", images.encode(images.halves(), "JPEG"), "image/jpeg")},
        headers={"Authorization": f"Bearer {tokens['access']}"},
        timeout=30,
    )


def test_a_restart_leaves_no_row_pointing_at_a_lost_photo(ports, tmp_path):
    database, log = tmp_path / "run-s3.sqlite3", tmp_path / "run-s3.log"
    bucket = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{ports['s3']}",
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )

    with run_s3(ports, database, log) as api:
        created = sign_up_and_create(api)
        assert created.status_code == 201, log.read_text()
        keys = stored_keys(database)
        assert len(keys) == 2
        assert all(exists(bucket, key) for key in keys)

    with run_s3(ports, database, log) as api:
        # The same steps work again from scratch: the account went with the photos.
        assert sign_up_and_create(api).status_code == 201, log.read_text()
        assert not any(exists(bucket, key) for key in keys)
        assert [key for key in stored_keys(database) if not exists(bucket, key)] == []
        assert set(stored_keys(database)).isdisjoint(keys)

    assert not database.exists()
