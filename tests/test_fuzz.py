"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis).

Every documented operation gets generated requests, authenticated as a real user: no
response may be a server error, and every response must match what the document says
(status code, content type, body schema). `make test` runs a bounded number of examples per
operation; `make fuzz` runs many more (FUZZ_EXAMPLES).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import AccessToken

from resumes.models import Resume
from tests.conftest import make_user

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
# The bounded run in `make test` is the same every time; `make fuzz` explores (FUZZ_RANDOM=1).
DERANDOMIZE = not os.environ.get("FUZZ_RANDOM")


def content_type_conformance(ctx, response, case):
    """schemathesis's check, except for 204 No Content, which by definition has no body
    and so no Content-Type."""
    if response.status_code == 204:
        return None
    return schemathesis.checks.content_type_conformance(ctx, response, case)


CHECKS = (
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    content_type_conformance,
    schemathesis.checks.response_schema_conformance,
)


@pytest.fixture
def api_schema(db, settings):
    settings.ALLOWED_HOSTS = ["localhost"]  # schemathesis's WSGI requests name this host
    # A bare WSGI handler closes the database connection around each request, which would
    # end the test's transaction; Django's own test client disconnects the same handlers.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield schemathesis.from_wsgi("/swagger.json", get_wsgi_application())
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


schema = schemathesis.from_pytest_fixture("api_schema")


@pytest.fixture
def fuzz_user(db):
    user = make_user("fuzzer")
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
def test_api_conforms_to_its_schema(case, fuzz_user):
    token = AccessToken.for_user(fuzz_user)
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=CHECKS)
