from collections.abc import Iterator

import pytest
from django.core.files.storage import default_storage

from tests.support.s3 import point_storage_at

# Every object of the default storage lives under this key prefix in these tests.
LOCATION = "tenant-a"


@pytest.fixture
def located(settings, bucket) -> str:
    """The default storage keeps its objects under LOCATION in the test's bucket."""
    endpoint_url = settings.STORAGES["default"]["OPTIONS"]["endpoint_url"]
    point_storage_at(settings, endpoint_url, location=LOCATION)
    return LOCATION


@pytest.fixture
def s3_calls(bucket) -> Iterator[list[str]]:
    """The names of the S3 operations the default storage calls during the test."""
    calls: list[str] = []

    def record(model, **kwargs) -> None:
        calls.append(model.name)

    # The default storage and its client outlive the test (conftest's bucket fixture).
    events = default_storage.connection.meta.client.meta.events
    events.register("before-call.s3", record)
    yield calls
    events.unregister("before-call.s3", record)
