"""The lockout rules of users/lockout.py, read from recorded failures without a login."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.utils import timezone

from users.lockout import lockout_ends, lockout_message, lockout_username, retry_after_seconds

pytestmark = pytest.mark.django_db

OWNER = "192.0.2.10"
STRANGER = "198.51.100.66"


def failures(count: int, username: str = "alice", address: str = STRANGER, minutes_ago=0):
    """`count` failed logins of `username` from `address`, the latest `minutes_ago`."""
    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address=address,
        user_agent="test",
        http_accept="*/*",
        path_info="/api/auth/token/",
        get_data="",
        post_data="",
        failures_since_start=count,
    )
    attempt.attempt_time = timezone.now() - timedelta(minutes=minutes_ago)
    attempt.save(update_fields=["attempt_time"])


def login_attempt(username: str = "alice", address: str = STRANGER):
    request = RequestFactory().post("/api/auth/token/", REMOTE_ADDR=address)
    return request, {"username": username}


def test_four_failures_of_a_username_from_an_address_lock_nothing():
    failures(4)

    assert lockout_ends(*login_attempt()) is None


def test_the_fifth_locks_that_username_from_that_address_for_15_minutes():
    failures(5, minutes_ago=1)

    ends = lockout_ends(*login_attempt())

    assert ends is not None
    assert timedelta(minutes=13) < ends - timezone.now() <= timedelta(minutes=14)
    assert lockout_ends(*login_attempt(address=OWNER)) is None
    assert lockout_ends(*login_attempt(username="bob")) is None


def test_a_lockout_ends_one_cool_off_after_the_last_failure():
    failures(5, minutes_ago=15)

    assert lockout_ends(*login_attempt()) is None


def test_twenty_failures_from_one_address_lock_it_for_every_username():
    for n in range(4):
        failures(5, username=f"user{n}")

    assert lockout_ends(*login_attempt(username="nobody-tried-this")) is not None
    assert lockout_ends(*login_attempt(address=OWNER)) is None


def test_ten_failures_of_one_username_from_anywhere_lock_the_account_for_5_minutes():
    for n in range(3):
        failures(3, address=f"198.51.100.{n}")

    assert lockout_ends(*login_attempt(address=OWNER)) is None
    failures(1, address="198.51.100.9")
    ends = lockout_ends(*login_attempt(address=OWNER))

    assert ends is not None
    assert ends - timezone.now() <= timedelta(minutes=5)


def test_usernames_are_counted_lower_case_and_bounded():
    request = RequestFactory().post("/")

    assert lockout_username(request, {"username": "ALICE"}) == "alice"
    assert lockout_username(request, {"username": "x" * 300}) == "x" * 255
    assert lockout_username(request, {"username": ["alice"]}) is None
    assert lockout_username(request, None) is None


def test_the_answer_says_how_long_to_wait_in_whole_minutes():
    assert retry_after_seconds(timezone.now() - timedelta(seconds=5)) == 1
    assert 899 <= retry_after_seconds(timezone.now() + timedelta(minutes=15)) <= 900
    assert lockout_message(60).startswith("Too many failed logins. Try again in 1 minute,")
    assert lockout_message(61).startswith("Too many failed logins. Try again in 2 minutes,")
