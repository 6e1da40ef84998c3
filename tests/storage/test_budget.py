"""The per-request S3 time budget (storage/budget.py): what it does to calls against an S3 that
never answers, and the start-up check of its worst case against gunicorn's timeout."""

import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import ReadTimeoutError
from django.core.files.storage import default_storage

from storage.budget import S3BudgetSpent, check_budget, request_budget
from tests.support.faults import gunicorn, hanging_s3
from tests.support.processes import PRODUCTION_ENV, run_django
from tests.support.s3 import point_storage_at


def put(key: str) -> None:
    default_storage.put(key, b"x", "text/plain")


def test_the_budget_cuts_attempts_and_then_refuses_every_call(settings):
    with hanging_s3() as url:
        point_storage_at(settings, url)
        storages = settings.STORAGES
        options = storages["default"]["OPTIONS"]
        # Alone, each call would wait 3 × 10 s.
        options["client_config"] = options["client_config"].merge(
            BotoConfig(read_timeout=10, retries={"mode": "standard", "max_attempts": 3})
        )
        settings.STORAGES = {**storages}
        with request_budget(1):
            with pytest.raises((S3BudgetSpent, ReadTimeoutError)):
                put("first")
            # Spent: the next call fails before sending anything.
            with pytest.raises(S3BudgetSpent, match="time for S3 calls"):
                put("second")


@pytest.mark.parametrize(
    ("budget", "connect", "attempts", "worker", "fits"),
    [
        (15, 3, 3, 30, True),  # the defaults: 15 + max(3, 2 + 5) + 5 = 27
        (15, 3, 3, 26, False),
        (20, 3, 1, 30, True),  # no retry, no backoff: 20 + 3 + 5
        (20, 6, 1, 30, False),
        (0, 3, 3, 30, False),
    ],
)
def test_the_worst_case_must_fit_in_the_worker_timeout(budget, connect, attempts, worker, fits):
    problem = check_budget(
        budget=budget, connect_timeout=connect, max_attempts=attempts, worker_timeout=worker
    )
    assert (problem is None) == fits, problem


def test_settings_refuse_to_load_a_budget_that_cannot_fit():
    result = run_django(
        {**PRODUCTION_ENV, "GUNICORN_TIMEOUT": "20"}, "-c", "import django; django.setup()"
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "does not fit in GUNICORN_TIMEOUT=20" in result.stderr


def test_gunicorn_refuses_to_start_with_a_budget_that_cannot_fit(tmp_path):
    env = {**PRODUCTION_ENV, "GUNICORN_TIMEOUT": "20", "DJANGO_SETTINGS_MODULE": "config.settings"}

    refused = pytest.raises(RuntimeError, match="does not fit in GUNICORN_TIMEOUT=20")
    with refused, gunicorn(env, tmp_path / "gunicorn.log"):
        pass
