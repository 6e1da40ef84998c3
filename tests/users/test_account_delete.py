"""Deleting an account (POST /api/auth/me/delete/): every row and every stored object of the
account goes, nothing of anyone else's, and a wrong password deletes nothing."""

import pytest
from django.apps import apps
from django.db import DatabaseError
from django.test import Client, TestCase
from rest_framework_simplejwt.tokens import RefreshToken

from tests.factories import PASSWORD
from tests.support.accounts import fill_account, limit_rates, rows_of, stored_names
from tests.support.api import client_for
from tests.support.mail import html_part
from users.models import User

pytestmark = pytest.mark.django_db

DELETE = "/api/auth/me/delete/"


def referencing_rows(user_id: int) -> dict[str, int]:
    """Rows of any table with a foreign key to the user that name it: a table added later
    that forgets to cascade shows up here."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            foreign_key = (field.many_to_one or field.one_to_one) and field.concrete
            if foreign_key and field.related_model is User:
                found = model._base_manager.filter(**{field.name: user_id}).count()
                counts[f"{model._meta.label}.{field.name}"] = found
    return counts


@pytest.fixture
def scene(user, other_user, bucket):
    """alice and mallory, each holding one of everything."""
    return fill_account(user, bucket), fill_account(other_user, bucket)


def test_the_scene_holds_one_of_everything(scene, bucket):
    mine, _theirs = scene
    names = stored_names(mine.user_id)

    assert {name.split("/")[0] for name in names} == {
        "resumes",
        "avatars",
        "pdfs",
        "uploads",
        "exports",
    }
    assert names <= set(bucket.object_keys())
    assert len(names) == 2 * 2 + 2 + 1 + 1 + 1  # two résumé images, the avatar, with thumbnails
    assert all(count for count in rows_of(mine).values())


def test_deleting_leaves_zero_rows_and_zero_objects_and_spares_everyone_else(
    user, other_user, scene, bucket
):
    mine, theirs = scene
    my_names = stored_names(mine.user_id)
    their_names = stored_names(theirs.user_id)
    their_rows = rows_of(theirs)
    before = set(bucket.object_keys())

    response = client_for(user).post(DELETE, {"current_password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert "Content-Type" not in response.headers
    after = set(bucket.object_keys())
    assert after == before - my_names
    assert not {key for key in after if key.startswith(f"uploads/{mine.user_id}/")}
    assert not {key for key in after if key.startswith(f"exports/{mine.user_id}/")}
    assert set(rows_of(mine).values()) == {0}
    assert set(referencing_rows(mine.user_id).values()) == {0}
    assert their_names <= after
    assert stored_names(theirs.user_id) == their_names
    assert rows_of(theirs) == their_rows


def test_the_address_is_told_once_the_account_is_gone(api, user, mailoutbox, settings):
    assert api.post(DELETE, {"current_password": PASSWORD}, format="json").status_code == 204

    (message,) = mailoutbox
    assert message.to == ["alice@example.com"]
    assert message.subject == f"Your account on {settings.SITE_NAME} was deleted"
    assert "Hello alice," in message.body
    assert "Hello alice," in html_part(message)


def test_a_wrong_password_deletes_nothing(user, scene, bucket, mailoutbox):
    mine, _theirs = scene
    rows, keys = rows_of(mine), bucket.object_keys()

    response = client_for(user).post(DELETE, {"current_password": "guess"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"current_password": ["Invalid password."]}
    assert rows_of(mine) == rows
    assert bucket.object_keys() == keys
    assert mailoutbox == []


def test_a_deletion_failing_midway_deletes_nothing(user, scene, bucket, monkeypatch):
    mine, _theirs = scene
    rows, keys = rows_of(mine), bucket.object_keys()

    def database_fails(*args, **kwargs):
        raise DatabaseError("simulated failure")

    # After the tokens and login failures went, before the account does.
    monkeypatch.setattr(User, "delete", database_fails)

    response = client_for(user).post(DELETE, {"current_password": PASSWORD}, format="json")

    assert response.status_code == 503
    assert rows_of(mine) == rows
    assert bucket.object_keys() == keys


@pytest.mark.parametrize("body", [{}, {"current_password": ""}, {"password": PASSWORD}])
def test_a_missing_password_is_named(api, user, body):
    response = api.post(DELETE, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["current_password"]
    assert User.objects.filter(pk=user.pk).exists()


def test_the_deleted_accounts_tokens_stop_working(user, bucket):
    refresh = RefreshToken.for_user(user)
    client = client_for(user)

    assert client.post(DELETE, {"current_password": PASSWORD}, format="json").status_code == 204

    assert client.get("/api/auth/me/").status_code == 401
    refreshed = client.post("/api/auth/token/refresh/", {"refresh": str(refresh)}, format="json")
    assert refreshed.status_code == 401
    login = client.post(
        "/api/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert login.status_code == 401


def test_the_username_can_be_taken_again(anon, user, bucket):
    client_for(user).post(DELETE, {"current_password": PASSWORD}, format="json")

    registered = anon.post(
        "/api/auth/register/",
        {"username": user.username, "email": "new@example.com", "password": PASSWORD},
        format="json",
    )

    assert registered.status_code == 201


def test_password_checks_are_limited_per_account(api, user, other_user, monkeypatch):
    limit_rates(monkeypatch, password_check="2/hour")
    for _ in range(2):
        assert api.post(DELETE, {"current_password": "guess"}, format="json").status_code == 400

    throttled = api.post(DELETE, {"current_password": PASSWORD}, format="json")

    assert throttled.status_code == 429
    assert User.objects.filter(pk=user.pk).exists()
    other = client_for(other_user).post(DELETE, {"current_password": "guess"}, format="json")
    assert other.status_code == 400


def test_deletion_is_documented(api):
    spec = api.get("/swagger.json").json()
    operation = spec["paths"]["/auth/me/delete/"]["post"]

    assert operation["operationId"] == "auth_me_delete"
    assert set(operation["responses"]) == {"204", "400", "401", "415", "429"}
    (body,) = operation["parameters"]
    assert body["schema"]["required"] == ["current_password"]


@pytest.mark.parametrize("how", ["one", "selected"])
def test_an_account_deleted_in_the_admin_goes_the_same_way(user, other_user, scene, bucket, how):
    mine, theirs = scene
    names, their_names = stored_names(mine.user_id), stored_names(theirs.user_id)
    staff = Client()
    # force_login: django-axes requires the request that Client.login() does not pass.
    staff.force_login(User.objects.create_superuser("root", "root@example.com", PASSWORD))

    with TestCase.captureOnCommitCallbacks(execute=True):
        if how == "one":
            response = staff.post(f"/admin/users/user/{user.pk}/delete/", {"post": "yes"})
        else:
            response = staff.post(
                "/admin/users/user/",
                {"action": "delete_selected", "_selected_action": [user.pk], "post": "yes"},
            )

    assert response.status_code == 302
    assert set(rows_of(mine).values()) == {0}
    assert not names & set(bucket.object_keys())
    assert their_names <= set(bucket.object_keys())
