"""users.tokens.read_access_token: an access token's signature is checked once per worker;
its expiry and its account are checked at every use."""

from datetime import timedelta

import pytest
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken
from rest_framework_simplejwt.utils import aware_utcnow

from users import tokens

pytestmark = pytest.mark.django_db

ME = "/api/auth/me/"


def bearer(token: AccessToken | str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_token_is_decoded_once_for_its_uses(anon, user):
    token = str(AccessToken.for_user(user))
    before = tokens._decoded_access_claims.cache_info()

    answers = [anon.get(ME, **bearer(token)) for _ in range(3)]

    after = tokens._decoded_access_claims.cache_info()
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert {a.json()["username"] for a in answers} == {user.username}
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 2)


def test_a_remembered_token_still_expires(anon, user, monkeypatch):
    token = str(AccessToken.for_user(user))
    assert anon.get(ME, **bearer(token)).status_code == 200

    later = aware_utcnow() + api_settings.ACCESS_TOKEN_LIFETIME + timedelta(seconds=1)
    monkeypatch.setattr(tokens, "aware_utcnow", lambda: later)
    response = anon.get(ME, **bearer(token))

    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_a_remembered_token_of_a_deactivated_account_is_refused(anon, user):
    token = str(AccessToken.for_user(user))
    assert anon.get(ME, **bearer(token)).status_code == 200

    user.is_active = False
    user.save(update_fields=["is_active"])
    response = anon.get(ME, **bearer(token))

    assert response.status_code == 401
    assert response.json()["code"] == "user_inactive"


def test_a_token_that_fails_is_not_remembered(anon, user):
    token = str(AccessToken.for_user(user))
    head, payload, signature = token.split(".")
    forged = f"{head}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    before = tokens._decoded_access_claims.cache_info()

    answers = [anon.get(ME, **bearer(forged)) for _ in range(2)]

    after = tokens._decoded_access_claims.cache_info()
    assert [a.status_code for a in answers] == [401, 401]
    assert (after.misses - before.misses, after.hits - before.hits) == (2, 0)
    assert after.currsize == before.currsize


def test_the_claims_kept_cannot_be_changed_through_a_token(user):
    token = str(AccessToken.for_user(user))
    first = tokens.read_access_token(token, expired_message="expired")
    first["user_id"] = "someone else"

    again = tokens.read_access_token(token, expired_message="expired")

    assert again["user_id"] == str(user.pk)
