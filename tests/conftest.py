"""Fixtures for the whole suite. Helpers live in tests/support/, factories in
tests/factories.py."""

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from moto import mock_aws
from rest_framework.test import APIClient

from devtools import ceph_rgw
from devtools.ceph_rgw import LiveS3
from devtools.moto_s3 import ACCESS_KEY, SECRET_KEY, create_bucket, local_s3
from tests.factories import UserFactory
from tests.support.api import APIClientCommittingRequests, client_for
from tests.support.celery import MemoryQueue, broker
from tests.support.s3 import Bucket, point_storage_at, shared_ceph, stop_shared_ceph
from users.models import User

SHARED_CEPH_DIR = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "real_s3: runs only against the real S3 server (Ceph RGW), for what moto does not check",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `s3_server` run twice: against moto's server and against a real S3 server
    (Ceph RGW), which checks presigned policies and signatures as AWS does."""
    if metafunc.definition.get_closest_marker("real_s3"):
        metafunc.parametrize("bucket", ["ceph"], indirect=True)
    elif metafunc.definition.get_closest_marker("s3_server"):
        metafunc.parametrize("bucket", ["moto", "ceph"], indirect=True)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (--dist loadgroup), tests whose live server gives each of 50
    concurrent requests its own database connection run on one worker, one at a time: two at
    once would pass PostgreSQL's 100 connections."""
    for item in items:
        if "live_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("live-server-connections"))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist, in the controlling process: every worker gets the directory of the one
    Ceph RGW the run shares (started by the first worker that needs it)."""
    if SHARED_CEPH_DIR not in node.config.stash:
        node.config.stash[SHARED_CEPH_DIR] = Path(tempfile.mkdtemp(prefix="resume-api-ceph-"))
    node.workerinput["shared_ceph_dir"] = str(node.config.stash[SHARED_CEPH_DIR])


def pytest_sessionfinish(session: pytest.Session) -> None:
    if SHARED_CEPH_DIR in session.config.stash:
        stop_shared_ceph(session.config.stash[SHARED_CEPH_DIR])


@pytest.fixture(scope="session")
def real_s3(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveS3]:
    """The real S3 server: the one the environment names (LIVE_S3_ENDPOINT_URL,
    LIVE_S3_ACCESS_KEY_ID, LIVE_S3_SECRET_ACCESS_KEY; CI starts Ceph RGW), else Ceph RGW started
    here (about 10 s) when Debian's Ceph packages are installed, once for the whole run (all
    xdist workers). Without either, its tests are skipped, and fail under CI: they must not
    pass by not running."""
    live = LiveS3.from_environment()
    if live is not None:
        yield live
        return
    if ceph_rgw.missing_programs():
        reason = (
            "no real S3 server: set LIVE_S3_ENDPOINT_URL, LIVE_S3_ACCESS_KEY_ID and "
            "LIVE_S3_SECRET_ACCESS_KEY (`python -m devtools.ceph_rgw start --dir DIR` prints "
            f"them), or install {' '.join(ceph_rgw.PACKAGES)} for the suite to start Ceph RGW"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    worker = getattr(request.config, "workerinput", None)
    if worker is not None:
        yield shared_ceph(Path(worker["shared_ceph_dir"]))
        return
    with ceph_rgw.ceph_rgw(tmp_path_factory.mktemp("ceph")) as live:
        yield live


@pytest.fixture(scope="session")
def in_process_s3_client() -> Any:
    """moto intercepts every botocore client created after it was imported, so this client
    and Django's default storage are built once, not per test: building one loads botocore's
    S3 model, 0.1-0.3 s."""
    return boto3.client(
        "s3",
        region_name=django_settings.STORAGES["default"]["OPTIONS"]["region_name"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture(autouse=True)
def bucket(request: pytest.FixtureRequest, settings: Any) -> Iterator[Bucket]:
    """The default storage's bucket: moto in-process, empty for each test; for tests marked
    `s3_server` (where a real HTTP client must reach S3), moto's HTTP server and then a new
    bucket on the real S3 server (Ceph RGW), deleted after the test."""
    name = django_settings.STORAGES["default"]["OPTIONS"]["bucket_name"]
    server = getattr(request, "param", None)
    if server == "moto":
        with local_s3(name) as s3:
            point_storage_at(
                settings, s3.endpoint_url, access_key=ACCESS_KEY, secret_key=SECRET_KEY
            )
            yield Bucket(client=s3.client(), name=name)
        return
    if server == "ceph":
        live: LiveS3 = request.getfixturevalue("real_s3")
        real = Bucket(client=live.client(), name=f"{name}-{uuid.uuid4().hex[:12]}")
        create_bucket(real.client, real.name)
        point_storage_at(
            settings,
            live.endpoint_url,
            bucket_name=real.name,
            access_key=live.access_key,
            secret_key=live.secret_key,
            region_name=live.region,
        )
        try:
            yield real
        finally:
            real.empty_and_delete()
        return
    client = request.getfixturevalue("in_process_s3_client")
    with mock_aws():  # starts empty, and forgets everything when it stops
        client.create_bucket(Bucket=name)
        yield Bucket(client=client, name=name)


@pytest.fixture
def local_disk(settings: Any, tmp_path: Path) -> Path:
    """Stored files on local disk (as `make run` keeps them) under a fresh folder, served at
    /media/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storage.backends.LocalStorage",
            "OPTIONS": {"location": tmp_path, "base_url": "/media/"},
        },
    }
    return tmp_path


@pytest.fixture
def user(db: None) -> User:
    return UserFactory(username="alice")


@pytest.fixture
def other_user(db: None) -> User:
    return UserFactory(username="mallory")


@pytest.fixture
def api(user: User) -> APIClient:
    return client_for(user)


@pytest.fixture
def anon() -> APIClient:
    return APIClientCommittingRequests()


@pytest.fixture
def queue(settings) -> Iterator[MemoryQueue]:
    """Tasks go to kombu's in-memory broker, where no worker takes them: the test runs them."""
    with broker(settings, "memory://"):
        queued = MemoryQueue()
        queued.take()  # nothing left over from another test
        yield queued
        queued.take()


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Every test starts with an empty cache: row ids are reused from test to test, so what
    one test left under a row's id (a queued render, say) would stand for another's row."""
    cache.clear()


@pytest.fixture
def cleared_throttle_counts() -> Iterator[None]:
    """Throttle counts (in the cache) start from zero and are not left to other tests."""
    cache.clear()
    yield
    cache.clear()
