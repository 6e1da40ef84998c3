"""Login lockouts (django-axes, rules in users/lockout.py) on the token endpoint and the
admin login. Time passing is simulated by moving the recorded failures into the past."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"
ADMIN_LOGIN = "/admin/login/"
STRANGER = "198.51.100.66"
WRONG = "not-the-password"
OWNER = "192.0.2.10"


def login(anon, username="alice", password=WRONG, address=STRANGER, **extra):
    return anon.post(
        TOKEN,
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
        **extra,
    )


def admin_login(username="root", password=WRONG, address=STRANGER):
    client = Client(REMOTE_ADDR=address)
    response = client.post(
        ADMIN_LOGIN, {"username": username, "password": password, "next": "/admin/"}
    )
    return response, client


def age_failures(minutes: float) -> None:
    """Let `minutes` pass for every recorded failure."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=minutes)
        attempt.save(update_fields=["attempt_time"])


def assert_locked_answer(response) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    detail = response.json()["detail"]
    assert detail.startswith("Too many failed logins. Try again in ")


def test_30_wrong_passwords_then_the_right_one_are_refused_by_the_token_endpoint(anon, user):
    statuses = [login(anon).status_code for _ in range(30)]
    right = login(anon, password=PASSWORD)

    assert statuses == [401] * 4 + [429] * 26
    assert_locked_answer(right)
    assert "access" not in right.json()
    # The failures live in the database, where every worker and instance reads them.
    assert AccessAttempt.objects.get().failures_since_start == 5


def test_30_wrong_passwords_then_the_right_one_are_refused_by_the_admin_login(db):
    from users.models import User

    User.objects.create_superuser("root", "root@example.com", PASSWORD)

    statuses = [admin_login()[0].status_code for _ in range(30)]
    right, client = admin_login(password=PASSWORD)

    assert statuses == [200] * 4 + [429] * 26  # 200: the form again, with its error
    assert right.status_code == 429
    assert int(right["Retry-After"]) > 0
    assert "Too many failed logins" in right.content.decode()
    assert client.get("/admin/").status_code == 302  # not logged in: sent to the login page


def test_the_admin_login_still_works(db):
    from users.models import User

    User.objects.create_superuser("root", "root@example.com", PASSWORD)

    response, client = admin_login(username="ROOT", password=PASSWORD)

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_locked_known_and_unknown_username_get_the_same_answer(anon, user):
    known = [login(anon, "alice", address="203.0.113.1") for _ in range(6)]
    unknown = [login(anon, "nobody", address="203.0.113.2") for _ in range(6)]

    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert [r.json() for r in known] == [r.json() for r in unknown]
    assert "Retry-After" in known[-1] and "Retry-After" in unknown[-1]


def test_the_lockout_ends_after_the_cool_off(anon, user):
    for _ in range(5):
        login(anon)
    assert login(anon, password=PASSWORD).status_code == 429

    age_failures(settings.LOGIN_LOCKOUT_MINUTES - 1)
    assert login(anon, password=PASSWORD).status_code == 429
    age_failures(1)
    assert login(anon, password=PASSWORD).status_code == 200


def test_refused_attempts_during_a_lockout_do_not_extend_it(anon, user):
    for _ in range(5):
        login(anon)
    age_failures(settings.LOGIN_LOCKOUT_MINUTES - 1)
    for _ in range(10):
        login(anon)

    age_failures(1)
    assert login(anon, password=PASSWORD).status_code == 200


def test_a_strangers_failures_from_one_address_do_not_lock_the_owner_elsewhere(anon, user):
    stranger = [login(anon).status_code for _ in range(9)]

    assert stranger[-1] == 429
    assert login(anon, password=PASSWORD, address=OWNER).status_code == 200


def test_a_distributed_attack_locks_the_owner_out_only_briefly(anon, user):
    # Four failures from each of three addresses: under the per-address rule, over the
    # per-account one.
    for n in range(3):
        for _ in range(4):
            login(anon, address=f"198.51.100.{n}")

    locked = login(anon, password=PASSWORD, address=OWNER)
    assert_locked_answer(locked)
    assert int(locked["Retry-After"]) <= settings.LOGIN_LOCKOUT_ACCOUNT_MINUTES * 60

    age_failures(settings.LOGIN_LOCKOUT_ACCOUNT_MINUTES)
    assert login(anon, password=PASSWORD, address=OWNER).status_code == 200


def test_one_address_trying_many_usernames_is_locked(anon, user):
    statuses = [login(anon, f"user{n}").status_code for n in range(20)]

    assert statuses == [401] * 19 + [429]
    assert login(anon, password=PASSWORD).status_code == 429
    assert login(anon, password=PASSWORD, address=OWNER).status_code == 200


def test_a_successful_login_clears_the_owners_own_typos(anon, user):
    typos = [login(anon, address=OWNER).status_code for _ in range(4)]
    success = login(anon, password=PASSWORD, address=OWNER)
    more_typos = [login(anon, address=OWNER).status_code for _ in range(4)]

    assert typos == more_typos == [401] * 4
    assert success.status_code == 200


def test_usernames_are_counted_ignoring_case(anon, user):
    statuses = [
        login(anon, name).status_code for name in ["alice", "ALICE", "Alice", "aLiCe", "alicE"]
    ]

    assert statuses == [401] * 4 + [429]


def test_a_forged_forwarded_for_does_not_dodge_the_lockout(anon, user):
    statuses = [login(anon, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(6)]

    assert statuses == [401] * 4 + [429] * 2


def test_behind_one_proxy_the_address_it_appended_is_locked(anon, user, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "127.0.0.1"

    def via_proxy(forwarded_for: str, password: str = WRONG) -> int:
        return login(
            anon, password=password, address=proxy, HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    statuses = [via_proxy(f"10.9.9.{n}, {STRANGER}") for n in range(5)]

    assert statuses == [401] * 4 + [429]
    assert via_proxy(f"10.9.9.9, {OWNER}", password=PASSWORD) == 200
    assert AccessAttempt.objects.get().ip_address == STRANGER


def test_a_huge_username_is_an_ordinary_failure(anon, user):
    assert login(anon, "x" * 5000).status_code == 401
