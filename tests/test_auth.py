import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from profiles.models import Profile
from tests.conftest import PASSWORD, client_for, make_user
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
    assert body == {"id": body["id"], "username": "bob", "email": "bob@example.com"}
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


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"username": "alice"}, "username"), ({"email": "ALICE@example.com"}, "email")],
)
def test_register_duplicate_username_or_email_names_the_field(anon, user, overrides, field):
    response = register(anon, **overrides)

    assert response.status_code == 400
    assert list(response.json()) == [field]
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
    assert set(tokens) == {"access", "refresh"}
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
        "date_joined": response.json()["date_joined"],
    }


def test_me_patch_changes_email_but_not_read_only_fields(api, user):
    response = api.patch(
        ME, {"email": "new@example.com", "id": 999, "is_staff": True}, format="json"
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email == "new@example.com"
    assert user.id != 999
    assert not user.is_staff


def test_me_patch_rejects_taken_email_and_bad_email(api, other_user):
    taken = api.patch(ME, {"email": other_user.email.upper()}, format="json")
    invalid = api.patch(ME, {"email": "not-an-email"}, format="json")

    assert taken.status_code == 400 and "email" in taken.json()
    assert invalid.status_code == 400 and "email" in invalid.json()


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
    user = make_user("ghost")
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
