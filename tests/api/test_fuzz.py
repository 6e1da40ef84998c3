"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis).

Every documented operation gets generated requests, valid and invalid, authenticated as a
real user, and every check schemathesis has runs on each response: no server error, status
code, content type, headers and body as the document says, invalid data rejected with a 4xx,
valid data accepted. `make test` runs a bounded, derandomized number of examples per
operation; `make fuzz` runs many more (FUZZ_EXAMPLES) from a random seed (FUZZ_RANDOM=1).
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import AccessToken
from schemathesis.specs.openapi.schemas import OpenApiSchema

from resumes.models import Resume
from tests.factories import UserFactory
from tests.support.processes import PROJECT
from users.models import User

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
# The bounded run in `make test` is the same every time; `make fuzz` explores (FUZZ_RANDOM=1).
DERANDOMIZE = not os.environ.get("FUZZ_RANDOM")
# The same settings as the CLI run from the repository root.
CONFIG = schemathesis.Config.from_path(PROJECT / "schemathesis.toml")


@pytest.fixture
def api_schema(db: None, settings: Any) -> Iterator[OpenApiSchema]:
    settings.ALLOWED_HOSTS = ["localhost"]  # schemathesis's WSGI requests name this host
    # A bare WSGI handler closes the database connection around each request, which would
    # end the test's transaction; Django's own test client disconnects the same handlers.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/swagger.json", get_wsgi_application(), config=CONFIG)
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def fuzz_user(db: None) -> User:
    user = UserFactory(username="fuzzer")
    # Something for the id-taking operations to find now and then.
    Resume.objects.create(owner=user, title="Fuzzed", summary="target")
    return user


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: schemathesis.Case, fuzz_user: User) -> None:
    token = AccessToken.for_user(fuzz_user)
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
