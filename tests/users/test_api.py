"""Accounts over HTTP: registration, tokens (obtain, refresh, logout), /auth/me/."""

import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from profiles.models import Profile
from tests.factories import PASSWORD, UserFactory
from tests.support.api import client_for
from users.models import User

pytestmark = pytest.mark.django_db


REGISTER = "/api/auth/register/"
TOKEN = "/api/auth/token/"
REFRESH = "/api/auth/token/refresh/"
LOGOUT = "/api/auth/logout/"
ME = "/api/auth/me/"


def register(anon, **overrides):
    body = {"username": "bob", "email": "bob@example.com", "password": PASSWORD, **overrides}
    return anon.post(REGISTER, body, format="json")


def test_register_creates_user_and_profile(anon):
    response = register(anon)

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "username": "bob",
        "email": "bob@example.com",
        "email_verified": False,
    }
    user = User.objects.get(pk=body["id"])
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert Profile.objects.filter(user=user).exists()


def test_register_rejects_weak_password_with_django_validators(anon):
    response = register(anon, password="12345678")

    assert response.status_code == 400
    messages = response.json()["password"]
    assert any("too common" in m for m in messages)
    assert any("entirely numeric" in m for m in messages)
    assert not User.objects.exists()


def test_register_rejects_password_similar_to_username(anon):
    response = register(anon, username="rosalind.franklin", password="rosalind.franklin1")

    assert response.status_code == 400
    assert "password" in response.json()


def test_register_duplicate_username_names_the_field(anon, user):
    response = register(anon, username="alice")

    assert response.status_code == 400
    assert list(response.json()) == ["username"]
    assert User.objects.count() == 1


@pytest.mark.parametrize("missing", ["username", "email", "password"])
def test_register_requires_every_field(anon, missing):
    body = {"username": "bob", "email": "bob@example.com", "password": PASSWORD}
    del body[missing]

    response = anon.post(REGISTER, body, format="json")

    assert response.status_code == 400
    assert response.json()[missing] == ["This field is required."]


def test_register_ignores_staff_flags(anon):
    response = register(anon, is_staff=True, is_superuser=True)

    assert response.status_code == 201
    user = User.objects.get(username="bob")
    assert not user.is_staff and not user.is_superuser


def test_token_pair_for_valid_credentials(anon, user):
    response = anon.post(TOKEN, {"username": "alice", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    tokens = response.json()
    assert set(tokens) == {"access", "refresh", "email_verified"}
    assert tokens["email_verified"] is False
    me = anon.get(ME, HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert me.json()["username"] == "alice"


def test_token_rejects_wrong_password(anon, user):
    response = anon.post(TOKEN, {"username": "alice", "password": "nope"}, format="json")

    assert response.status_code == 401
    assert "detail" in response.json()


def test_token_requires_fields(anon):
    response = anon.post(TOKEN, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_refresh_rotates_and_blacklists_the_old_refresh_token(anon, user):
    tokens = anon.post(TOKEN, {"username": "alice", "password": PASSWORD}, format="json").json()

    rotated = anon.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    assert rotated.status_code == 200
    assert set(rotated.json()) == {"access", "refresh"}
    assert rotated.json()["refresh"] != tokens["refresh"]

    reused = anon.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    assert reused.status_code == 401


def test_refresh_rejects_garbage(anon):
    response = anon.post(REFRESH, {"refresh": "not-a-token"}, format="json")

    assert response.status_code == 401


def test_logout_blacklists_the_refresh_token(anon, user):
    tokens = anon.post(TOKEN, {"username": "alice", "password": PASSWORD}, format="json").json()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens['access']}"}

    response = anon.post(LOGOUT, {"refresh": tokens["refresh"]}, format="json", **auth)

    assert response.status_code == 204
    assert BlacklistedToken.objects.filter(token__user=user).count() == 1
    assert anon.post(REFRESH, {"refresh": tokens["refresh"]}, format="json").status_code == 401


def test_logout_rejects_another_users_refresh_token(anon, user, other_user):
    theirs = anon.post(
        TOKEN, {"username": other_user.username, "password": PASSWORD}, format="json"
    ).json()

    response = client_for(user).post(LOGOUT, {"refresh": theirs["refresh"]}, format="json")

    assert response.status_code == 400
    assert "refresh" in response.json()
    assert not BlacklistedToken.objects.exists()


def test_logout_rejects_invalid_token_and_requires_auth(anon, api):
    assert api.post(LOGOUT, {"refresh": "junk"}, format="json").status_code == 400
    assert anon.post(LOGOUT, {"refresh": "junk"}, format="json").status_code == 401


def test_me_shows_the_caller(api, user):
    response = api.get(ME)

    assert response.status_code == 200
    assert response.json() == {
        "id": user.id,
        "username": "alice",
        "email": "alice@example.com",
        "email_verified": False,
        "date_joined": response.json()["date_joined"],
    }


def test_me_patch_changes_the_username_but_not_read_only_fields(api, user):
    response = api.patch(
        ME,
        {"username": "alice2", "id": 999, "is_staff": True, "email_verified": True},
        format="json",
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.username == "alice2"
    assert user.id != 999
    assert not user.is_staff and not user.email_verified


def test_me_patch_refuses_a_new_email_and_says_where_it_is_changed(api, user):
    response = api.patch(ME, {"email": "new@example.com"}, format="json")

    assert response.status_code == 400
    assert "/api/auth/email/change/" in response.json()["email"][0]
    user.refresh_from_db()
    assert user.email == "alice@example.com"


def test_me_keeps_own_email_on_patch(api, user):
    response = api.patch(ME, {"email": "Alice@example.com"}, format="json")

    assert response.status_code == 200


@pytest.mark.parametrize(("method", "path"), [("get", ME), ("patch", ME), ("post", LOGOUT)])
def test_auth_endpoints_require_a_token(anon, method, path):
    response = getattr(anon, method)(path, {}, format="json")

    assert response.status_code == 401
    assert response.json()["detail"]


def test_invalid_bearer_token_is_401(anon, db):
    response = anon.get(ME, HTTP_AUTHORIZATION="Bearer not.a.jwt")

    assert response.status_code == 401


def test_access_token_of_deleted_user_is_rejected(db):
    user = UserFactory(username="ghost")
    client = client_for(user)
    user.delete()

    assert client.get(ME).status_code == 401


def test_username_is_checked_as_it_will_be_stored(anon, user):
    # NFKC turns the fullwidth letters into "alice", which is taken.
    taken = register(anon, username="ａｌｉｃｅ", email="other@example.com")
    # NFKC turns "⑴" into "(1)", which usernames may not contain.
    invalid = register(anon, username="bob⑴", email="bob2@example.com")

    assert taken.status_code == 400 and list(taken.json()) == ["username"]
    assert invalid.status_code == 400 and list(invalid.json()) == ["username"]
    assert User.objects.count() == 1


def test_a_username_differing_only_in_case_is_taken(anon, user):
    response = register(anon, username="ALICE", email="other@example.com")

    assert response.status_code == 400
    assert response.json() == {"username": ["A user with that username already exists."]}
    assert User.objects.count() == 1


def test_me_cannot_take_a_username_differing_only_in_case(api, other_user):
    response = api.patch(ME, {"username": "Mallory"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"username": ["A user with that username already exists."]}


def test_me_may_change_the_case_of_its_own_username(api, user):
    response = api.patch(ME, {"username": "Alice"}, format="json")

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.username == "Alice"


def test_login_ignores_the_case_of_the_username(anon, user):
    response = anon.post(TOKEN, {"username": "ALICE", "password": PASSWORD}, format="json")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "password", [" " * 8, "\t" * 8, " \t \t\n \t ", "z" * 12, "abababababab", "Xyx" * 5]
)
def test_register_refuses_blank_or_repetitive_passwords(anon, password):
    response = register(anon, password=password)

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert not User.objects.exists()


def signed_access_token(user_id: object) -> str:
    from rest_framework_simplejwt.tokens import AccessToken

    token = AccessToken()
    token["user_id"] = user_id
    return str(token)


UNUSABLE_USER_IDS = ["abc", "1.5", "", "-1", "0", "9" * 30, "9" * 5000, 1.5, True, None, [1], {}]


@pytest.mark.parametrize(
    "user_id", UNUSABLE_USER_IDS, ids=[repr(v)[:12] for v in UNUSABLE_USER_IDS]
)
def test_a_signed_token_with_an_unusable_user_id_is_401_json(anon, user, user_id):
    response = anon.get(ME, HTTP_AUTHORIZATION=f"Bearer {signed_access_token(user_id)}")

    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_signed_token_with_a_numeric_user_id_still_works(anon, user):
    response = anon.get(ME, HTTP_AUTHORIZATION=f"Bearer {signed_access_token(user.pk)}")

    assert response.status_code == 200


def test_an_expired_access_token_says_so_and_what_to_do(anon, user):
    from datetime import timedelta

    from rest_framework_simplejwt.tokens import AccessToken

    token = AccessToken.for_user(user)
    token.set_exp(lifetime=-timedelta(seconds=1))

    response = anon.get(ME, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 401
    assert response.json()["detail"] == (
        "Your access token has expired; get a new one from POST /api/auth/token/refresh/."
    )


def test_an_expired_refresh_token_says_to_log_in_again(anon, user):
    from datetime import timedelta

    from rest_framework_simplejwt.tokens import RefreshToken

    token = RefreshToken.for_user(user)
    token.set_exp(lifetime=-timedelta(seconds=1))

    response = anon.post(REFRESH, {"refresh": str(token)}, format="json")

    assert response.status_code == 401
    assert response.json()["detail"] == (
        "Your refresh token has expired; log in again with POST /api/auth/token/."
    )


def test_refresh_for_a_deleted_user_is_401(anon):
    from rest_framework_simplejwt.tokens import RefreshToken

    ghost = UserFactory(username="ghost")
    token = str(RefreshToken.for_user(ghost))
    ghost.delete()

    assert anon.post(REFRESH, {"refresh": token}, format="json").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_of_one_token_let_exactly_one_win(user):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
    from rest_framework_simplejwt.tokens import RefreshToken

    refresh = str(RefreshToken.for_user(user))
    start = Barrier(10)

    def attempt(_: int) -> int:
        # Each thread has its own database connection, as each gunicorn worker would.
        try:
            client = APIClient()
            start.wait()
            return client.post(REFRESH, {"refresh": refresh}, format="json").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = sorted(pool.map(attempt, range(10)))

    assert statuses == [200] + [401] * 9
    assert BlacklistedToken.objects.count() == 1
    assert OutstandingToken.objects.count() == 2  # the spent token and its one successor
