"""GET/PUT/PATCH/DELETE /api/resumes/{id}/ and GET /api/resumes/{id}/pdf/ read the account's
row in the résumé's query (users.authentication.AccessTokenIdAuthentication): one query for a
read, and the token of a deleted or deactivated account still reads and writes nothing (401,
as everywhere else)."""

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from rest_framework_simplejwt import authentication as simplejwt_authentication
from rest_framework_simplejwt import tokens as simplejwt_tokens
from rest_framework_simplejwt.tokens import RefreshToken

from resumes.models import Resume
from tests.factories import PASSWORD, ResumeFactory, UserFactory
from tests.support.api import client_for
from users import authentication
from users.authentication import TokenAccount, require_account
from users.deletion import account_delete

pytestmark = pytest.mark.django_db

ME = "/api/auth/me/"
WRITES = [
    ("get", None),
    ("get pdf", None),
    ("patch", {"title": "Changed"}),
    ("put", {"title": "Changed"}),
    ("delete", None),
]


def detail(resume: Resume) -> str:
    return f"/api/resumes/{resume.pk}/"


def send(client, method: str, resume: Resume, body: dict | None):
    if method == "get pdf":
        return client.get(f"{detail(resume)}pdf/")
    return getattr(client, method)(detail(resume), body, format="json")


def test_a_read_is_one_query(api, user, django_assert_num_queries):
    resume = ResumeFactory(owner=user, title="Mine")
    with django_assert_num_queries(1):
        response = api.get(detail(resume))
    assert response.status_code == 200
    assert response.json()["owner"] == user.username


@pytest.mark.parametrize(("method", "body"), WRITES)
def test_a_deactivated_accounts_token_reads_and_writes_nothing(method, body):
    owner = UserFactory()
    resume = ResumeFactory(owner=owner, title="Kept")
    client = client_for(owner)
    owner.is_active = False
    owner.save(update_fields=["is_active"])

    response = send(client, method, resume, body)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == client.get(ME)["WWW-Authenticate"]
    assert (
        response.json()
        == client.get(ME).json()
        == {"detail": "User is inactive", "code": "user_inactive"}
    )
    assert Resume.objects.get(pk=resume.pk).title == "Kept"


@pytest.mark.parametrize(("method", "body"), WRITES)
def test_a_deleted_accounts_token_is_401_not_404(method, body, bucket):
    owner = UserFactory()
    resume = ResumeFactory(owner=owner)
    client = client_for(owner)
    account_delete(user=owner)

    response = send(client, method, resume, body)

    assert response.status_code == 401
    assert (
        response.json()
        == client.get(ME).json()
        == {"detail": "User not found", "code": "user_not_found"}
    )
    assert not Resume.objects.filter(pk=resume.pk).exists()


@pytest.mark.parametrize(("method", "body"), WRITES)
def test_a_deactivated_account_is_401_for_someone_elses_resume_too(method, body, other_user):
    owner = UserFactory(is_active=False)
    client = client_for(owner)
    theirs = ResumeFactory(owner=other_user, title="Theirs")

    response = send(client, method, theirs, body)

    assert response.status_code == 401
    assert Resume.objects.get(pk=theirs.pk).title == "Theirs"


@pytest.mark.parametrize(("method", "body"), WRITES)
def test_someone_elses_resume_is_still_404(api, other_user, method, body):
    theirs = ResumeFactory(owner=other_user, title="Theirs")

    response = send(api, method, theirs, body)

    assert response.status_code == 404
    assert response.json()["detail"] == "No Resume matches the given query."
    assert Resume.objects.get(pk=theirs.pk).title == "Theirs"


def test_a_write_uses_the_owner_read_with_the_resume(api, user):
    resume = ResumeFactory(owner=user, title="Before")

    response = api.patch(detail(resume), {"title": "After"}, format="json")

    assert response.status_code == 200
    assert response.json()["title"] == "After"
    assert Resume.objects.get(pk=resume.pk).owner == user


def test_a_token_account_is_only_an_id():
    account = TokenAccount(7)
    assert account.pk == account.id == 7 and account.is_authenticated
    with pytest.raises(AttributeError):
        account.is_active  # noqa: B018 - nothing about the account is known before its row


def test_require_account_reads_the_row_unless_the_view_has_it(user, django_assert_num_queries):
    request = _request_for(user)
    with django_assert_num_queries(0):
        assert require_account(request, user) is user
    assert request.user is user

    request = _request_for(user)
    with django_assert_num_queries(1):
        assert require_account(request, None) == user
    request, someone_else = _request_for(user), UserFactory()
    with django_assert_num_queries(1):
        assert require_account(request, someone_else) == user


def _request_for(user):
    token = RefreshToken.for_user(user).access_token
    request = Request(APIRequestFactory().get("/"))
    request.user, request.auth = TokenAccount(user.pk), token
    return request


def test_a_revoked_token_is_refused_when_revocation_is_checked(monkeypatch, user):
    # simplejwt's modules keep the settings object they imported: switch it on in each.
    for module in (simplejwt_authentication, simplejwt_tokens, authentication):
        monkeypatch.setattr(module.api_settings, "CHECK_REVOKE_TOKEN", True)
    resume = ResumeFactory(owner=user)
    client = client_for(user)
    assert client.get(detail(resume)).status_code == 200
    user.set_password(f"new-{PASSWORD}")
    user.save(update_fields=["password"])

    response = client.get(detail(resume))

    assert response.status_code == 401
    assert response.json() == client.get(ME).json()
    assert response.json()["code"] == "password_changed"
