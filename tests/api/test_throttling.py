"""Throttles (api/throttling.py, users/throttling.py): rates, the client address behind
proxies, counts kept in Redis when configured."""

import os
import uuid

import pytest
import redis
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import PASSWORD
from tests.support.api import client_for

pytestmark = pytest.mark.django_db


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def rates(monkeypatch):
    """Low throttle rates for one test (DRF reads them once, at import)."""
    cache.clear()

    def set_rates(**scopes: str) -> None:
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **scopes}
        )

    yield set_rates
    cache.clear()


def login(anon, password=PASSWORD):
    return anon.post("/api/auth/token/", {"username": "alice", "password": password}, format="json")


def test_login_is_throttled_with_retry_after(anon, user, rates):
    rates(login="3/minute")

    answers = [login(anon, "wrong").status_code for _ in range(3)]
    throttled = login(anon)

    assert answers == [401, 401, 401]
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert "throttled" in throttled.json()["detail"].lower()


def spoofed(n: int) -> dict[str, str]:
    """A different X-Forwarded-For on each request, as an attacker would send."""
    return {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}


@pytest.mark.parametrize(
    "headers",
    [lambda n: {}, spoofed],
    ids=["plain", "a forged forwarded-for does not dodge it"],
)
def test_registration_is_throttled(anon, rates, headers):
    rates(register="2/hour")

    statuses = [
        anon.post(
            "/api/auth/register/",
            {"username": f"user{n}", "email": f"u{n}@example.com", "password": PASSWORD},
            format="json",
            **headers(n),
        ).status_code
        for n in range(3)
    ]

    assert statuses == [201, 201, 429]


def test_a_forged_forwarded_for_does_not_dodge_the_login_throttle(anon, user, rates):
    rates(login="3/minute")

    answers = [
        anon.post(
            "/api/auth/token/",
            {"username": "alice", "password": "wrong"},
            format="json",
            **spoofed(n),
        ).status_code
        for n in range(4)
    ]

    assert answers == [401, 401, 401, 429]


def test_a_forged_forwarded_for_does_not_dodge_the_public_link_throttle(anon, rates):
    rates(public_resume="3/minute")

    statuses = [
        anon.get("/api/public/resumes/no-such-slug/", **spoofed(n)).status_code for n in range(4)
    ]

    assert statuses == [404, 404, 404, 429]


def register(anon, n: int, **overrides: str):
    body = {"username": f"user{n}", "email": f"u{n}@example.com", "password": PASSWORD}
    return anon.post("/api/auth/register/", {**body, **overrides}, format="json").status_code


def test_failed_registrations_do_not_use_up_the_allowance(anon, rates):
    rates(register="2/hour")

    typos = [register(anon, n, email="not-an-email") for n in range(5)]
    statuses = [register(anon, n) for n in range(3)]

    assert typos == [400] * 5
    assert statuses == [201, 201, 429]


def test_every_registration_attempt_counts_toward_a_wider_limit(anon, rates):
    # Bounds guessing which usernames and e-mails are taken through registration.
    rates(register_attempt="3/hour")

    statuses = [register(anon, n, email="not-an-email") for n in range(4)]

    assert statuses == [400, 400, 400, 429]


def test_account_changes_are_throttled_per_user_but_reading_is_not(api, other_user, rates):
    rates(account_change="2/hour")

    changes = [
        api.patch("/api/auth/me/", {"email": f"a{n}@example.com"}, format="json").status_code
        for n in range(3)
    ]

    assert changes == [400, 400, 429]
    assert api.get("/api/auth/me/").status_code == 200
    # Per account, not per address: another user on the same address is unaffected.
    other = client_for(other_user).patch("/api/auth/me/", {"username": "mallory2"}, format="json")
    assert other.status_code == 200


@pytest.fixture
def behind_one_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def test_behind_one_proxy_only_the_address_it_appended_counts(anon, user, rates, behind_one_proxy):
    rates(login="3/minute")

    def attempt(forwarded_for: str) -> int:
        return anon.post(
            "/api/auth/token/",
            {"username": "alice", "password": "wrong"},
            format="json",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        ).status_code

    # The client forges the left part; the proxy appends the real address on the right.
    answers = [attempt(f"198.51.100.{n}, 192.0.2.7") for n in range(4)]
    other_client = attempt("198.51.100.1, 192.0.2.8")

    assert answers == [401, 401, 401, 429]
    assert other_client == 401


@pytest.fixture
def redis_cache(settings):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise  # CI runs Redis: its absence is a failure there
        pytest.skip(f"no Redis at {REDIS_URL} (set TEST_REDIS_URL); CI runs this test")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_with_redis_the_throttle_counts_live_in_redis(anon, user, rates, redis_cache):
    client, prefix = redis_cache
    rates(login="2/minute")

    statuses = [login(anon).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    keys = [key.decode() for key in client.scan_iter(f"{prefix}:*")]
    assert any("throttle_login" in key for key in keys), keys
    # What another worker would see: the history is in Redis, not in this process.
    client.delete(*keys)
    assert login(anon).status_code == 200
