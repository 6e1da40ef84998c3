"""Broken authentication and object-level authorization (OWASP API1/API2/API3), checked on
every operation the OpenAPI document lists, so a new endpoint is covered automatically."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from resumes.models import Resume
from tests.factories import PASSWORD
from tests.support.api import client_for
from users.models import User

pytestmark = pytest.mark.django_db

HTTP_METHODS = {"get", "put", "patch", "post", "delete"}
# Operations meant for anonymous callers: credentials travel in the body, or none are needed.
ANONYMOUS_OPERATIONS = {
    ("/auth/register/", "post"),
    ("/auth/token/", "post"),
    ("/auth/token/refresh/", "post"),
    # Mailed links and the requests that mail them: whoever holds the mailbox.
    ("/auth/email/verify/", "post"),
    ("/auth/email/verify/resend/", "post"),
    ("/auth/email/change/confirm/", "post"),
    ("/auth/password/reset/", "post"),
    ("/auth/password/reset/confirm/", "post"),
    ("/themes/", "get"),
}


@pytest.fixture(scope="module")
def operations(django_db_blocker):
    with django_db_blocker.unblock():
        spec = Client().get("/swagger.json").json()
    found = sorted(
        (path, method)
        for path, item in spec["paths"].items()
        for method in item
        if method in HTTP_METHODS
    )
    assert len(found) >= 16
    return found


def concrete(path: str, resume_id: int) -> str:
    """The API path for a documented one: /api prefix, ids filled in."""
    filled = re.sub(r"\{(resume_id|export_id|id)\}", str(resume_id), path)
    return "/api" + filled.replace("{share_slug}", "no-such-slug-000000000")


def is_public(path: str) -> bool:
    return path.startswith("/public/")


def call(client, method: str, path: str):
    return getattr(client, method)(path, {}, format="json")


@pytest.fixture
def victim_resume(other_user):
    return Resume.objects.create(owner=other_user, title="Victim's résumé", summary="secret")


def test_every_protected_operation_needs_a_token(anon, operations, victim_resume):
    checked = 0
    for path, method in operations:
        if (path, method) in ANONYMOUS_OPERATIONS or is_public(path):
            continue
        response = call(anon, method, concrete(path, victim_resume.id))
        assert response.status_code == 401, (path, method, response.status_code)
        assert "Victim" not in response.content.decode()
        checked += 1
    assert checked >= 12


def test_expired_and_forged_tokens_are_refused_everywhere(anon, user, operations, victim_resume):
    expired = AccessToken.for_user(user)
    expired.set_exp(lifetime=-timedelta(seconds=1))
    forged = str(AccessToken.for_user(user))[:-4] + "AAAA"
    for token in (str(expired), forged):
        anon.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        for path, method in operations:
            if (path, method) in ANONYMOUS_OPERATIONS or is_public(path):
                continue
            response = call(anon, method, concrete(path, victim_resume.id))
            assert response.status_code == 401, (path, method, response.status_code)


def test_another_users_ids_are_404_on_every_operation(api, operations, victim_resume):
    with_ids = [(p, m) for p, m in operations if re.search(r"\{(resume_id|export_id|id)\}", p)]
    assert with_ids
    for path, method in with_ids:
        response = call(api, method, concrete(path, victim_resume.id))
        assert response.status_code == 404, (path, method, response.status_code)
        assert "Victim" not in response.content.decode()
    victim_resume.refresh_from_db()
    assert (victim_resume.title, victim_resume.summary) == ("Victim's résumé", "secret")


def test_blacklisted_refresh_token_is_refused(anon, user):
    refresh = RefreshToken.for_user(user)
    refresh.blacklist()

    response = anon.post("/api/auth/token/refresh/", {"refresh": str(refresh)}, format="json")

    assert response.status_code == 401


def test_mass_assignment_is_ignored(api, user, other_user):
    created = api.post(
        "/api/resumes/",
        {
            "title": "Mine",
            "owner": other_user.username,
            "owner_id": other_user.id,
            "id": 424242,
            "created_at": "2001-01-01T00:00:00Z",
            "updated_at": "2001-01-01T00:00:00Z",
        },
        format="json",
    )
    assert created.status_code == 201
    resume = Resume.objects.get()
    assert resume.owner == user and resume.id != 424242
    assert resume.created_at.year > 2001

    api.patch(
        f"/api/resumes/{resume.id}/",
        {
            "owner": other_user.username,
            "owner_id": other_user.id,
            "created_at": "2001-01-01T00:00:00Z",
        },
        format="json",
    )
    resume.refresh_from_db()
    assert resume.owner == user and resume.created_at.year > 2001


@pytest.mark.parametrize(
    "flags",
    [{"is_staff": True}, {"is_superuser": True}, {"is_active": False}, {"groups": [1]}],
)
def test_staff_flags_cannot_be_set_through_the_api(api, anon, user, flags):
    api.patch("/api/auth/me/", flags, format="json")
    anon.post(
        "/api/auth/register/",
        {"username": "eve", "email": "eve@example.com", "password": PASSWORD, **flags},
        format="json",
    )

    user.refresh_from_db()
    eve = User.objects.get(username="eve")
    for account in (user, eve):
        assert not account.is_staff and not account.is_superuser and account.is_active
        assert not account.groups.exists()


def test_a_token_for_one_user_never_reads_anothers_list(user, other_user):
    Resume.objects.create(owner=other_user, title="Not yours")

    body = client_for(user).get("/api/resumes/").json()

    assert body["count"] == 0


@pytest.mark.parametrize("path", ["/api/resumes/not-a-number/", "/api/nothing-here/", "/nope"])
def test_unknown_urls_answer_json_not_html(api, path):
    response = api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}
