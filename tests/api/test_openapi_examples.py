"""The API documentation as people read it in Swagger UI and ReDoc: sections in the order a
person meets them, a summary for every operation, models without write-only fields, request
examples that work when sent as they stand, and error examples that are what the API really
answers."""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from resumes.models import Resume
from tests.support.api import APIClientCommittingRequests, client_for
from tests.support.mail import link_in
from users import openapi as users_docs
from users.models import User

pytestmark = pytest.mark.django_db

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
SECTIONS = [
    "auth",
    "profiles",
    "resumes",
    "themes",
    "uploads",
    "public",
    "exports",
    "account deletion",
]
WRITE_ONLY_FIELDS = {"password", "current_password", "image_key", "avatar_key"}
# Last in the document: every example before it needs the account.
ACCOUNT_DELETE = ("post", "/auth/me/delete/")
JSON_BLOCK = re.compile(r"```json\n(.*?)\n```", re.DOTALL)


@pytest.fixture
def spec() -> dict[str, Any]:
    response = Client().get("/swagger.json")
    assert response.status_code == 200
    return response.json()


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) in document order."""
    for path, item in spec["paths"].items():
        for method in item:
            if method in HTTP_METHODS:
                yield method, path, item[method]


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return spec["definitions"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def body_schema(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "body":
            return resolve(spec, parameter["schema"])
    return None


def form_parameters(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "formData"}


# --- What the reader sees -------------------------------------------------------------


def test_sections_follow_a_persons_path(spec):
    assert [tag["name"] for tag in spec["tags"]] == SECTIONS
    assert all(tag["description"] for tag in spec["tags"])
    sections = [operation["tags"] for _, _, operation in operations(spec)]
    # Each operation in one listed section; a section's operations together, in that order.
    assert all(len(tags) == 1 and tags[0] in SECTIONS for tags in sections)
    in_order = [tags[0] for tags in sections]
    assert in_order == sorted(in_order, key=SECTIONS.index)
    auth = [
        (method, path)
        for method, path, operation in operations(spec)
        if operation["tags"] == ["auth"]
    ]
    assert auth == [
        ("post", "/auth/register/"),
        ("post", "/auth/email/verify/"),
        ("post", "/auth/email/verify/resend/"),
        ("post", "/auth/token/"),
        ("post", "/auth/token/refresh/"),
        ("post", "/auth/password/reset/"),
        ("post", "/auth/password/reset/confirm/"),
        ("post", "/auth/logout/"),
        ("post", "/auth/logout/all/"),
        ("get", "/auth/me/"),
        ("patch", "/auth/me/"),
        ("post", "/auth/password/change/"),
        ("post", "/auth/email/change/"),
        ("post", "/auth/email/change/confirm/"),
    ]


def test_every_operation_has_a_short_summary_of_its_own(spec):
    summaries = [operation.get("summary", "") for _, _, operation in operations(spec)]
    assert all(0 < len(summary) <= 60 for summary in summaries), summaries
    assert len(set(summaries)) == len(summaries)
    signup = spec["paths"]["/auth/register/"]["post"]
    assert signup["summary"] == "Sign up"


def test_responses_are_listed_by_status_code(spec):
    for _, _, operation in operations(spec):
        assert list(operation["responses"]) == sorted(operation["responses"])


def test_swagger_ui_keeps_the_document_order_and_opens_on_examples(client):
    page = client.get("/swagger/").content.decode()
    found = re.search(r'<script id="swagger-settings" type="application/json">(.*?)</script>', page)
    assert found is not None
    settings = json.loads(found.group(1))
    assert settings.get("tagsSorter") is None
    assert settings.get("operationsSorter") is None
    assert settings["displayOperationId"] is False
    assert settings["showExtensions"] is False
    assert settings["defaultModelRendering"] == "example"


def test_models_do_not_list_write_only_fields_but_request_bodies_do(spec):
    for name, definition in spec["definitions"].items():
        assert not WRITE_ONLY_FIELDS & set(definition.get("properties", {})), name
    assert "password" in body_schema(spec, spec["paths"]["/auth/register/"]["post"])["properties"]
    me = body_schema(spec, spec["paths"]["/auth/me/"]["patch"])
    assert "id" not in me["properties"]  # read-only: not something to send
    change = body_schema(spec, spec["paths"]["/auth/email/change/"]["post"])
    assert "current_password" in change["properties"]
    assert "image_key" in form_parameters(spec["paths"]["/resumes/"]["post"])
    assert "avatar_key" in form_parameters(spec["paths"]["/profiles/me/"]["patch"])


def test_form_operations_document_their_json_body_too(spec):
    form_operations = [
        (method, path, operation)
        for method, path, operation in operations(spec)
        if "multipart/form-data" in operation.get("consumes", [])
    ]
    assert len(form_operations) == 5  # résumé create, replace, change; profile replace, change
    for method, path, operation in form_operations:
        (example,) = [json.loads(block) for block in JSON_BLOCK.findall(operation["description"])]
        fields = form_parameters(operation)
        assert set(example) <= set(fields), (method, path)
        key_field = "image_key" if "image_key" in fields else "avatar_key"
        assert f'`"{key_field}"`' in operation["description"]
    create = spec["paths"]["/resumes/"]["post"]
    content = JSON_BLOCK.search(create["description"]).group(1)
    assert isinstance(json.loads(content)["content"], dict)  # an object, not JSON text


# --- Request examples work as they stand ------------------------------------------------


# Operations that take a mailed link's parts, and the link's fragment.
MAILED_LINKS = {
    "/auth/email/verify/": "verify-email",
    "/auth/password/reset/confirm/": "reset-password",
    "/auth/email/change/confirm/": "confirm-email",
}
PASSWORD_AFTER_RESET = users_docs.PASSWORD_AFTER_RESET


def latest_link(fragment: str) -> tuple[str, ...]:
    for message in reversed(mail.outbox):
        if f"#/{fragment}/" in message.body:
            return link_in(message, fragment)
    raise AssertionError(f"No mail holds a #/{fragment}/ link")


@dataclass
class Walk:
    """One person following the examples: the tokens and résumé they have so far."""

    access: str = ""
    refresh: str = ""
    resume_id: int | None = None
    sent: list[tuple[str, str, str]] = field(default_factory=list)

    def client(self, operation: dict[str, Any]) -> APIClient:
        # Requests commit, so the mails they send reach the outbox.
        client = APIClientCommittingRequests()
        if operation.get("security") != []:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.access}")
        return client

    def url(self, path: str) -> str:
        return "/api" + path.replace("{resume_id}", str(self.resume_id))

    def fill(self, path: str, example: dict[str, Any]) -> dict[str, Any]:
        # A refresh token cannot be written down in advance: the one from logging in; nor
        # can a mailed link's: the one in the latest mail that has one.
        filled = {**example, "refresh": self.refresh} if "refresh" in example else example
        if path in MAILED_LINKS:
            parts = latest_link(MAILED_LINKS[path])
            filled = {**filled, **dict(zip(["uid", "token"][-len(parts) :], parts, strict=True))}
        return filled

    def note(self, method: str, path: str, body: Any) -> None:
        if isinstance(body, dict):
            self.access = body.get("access", self.access)
            self.refresh = body.get("refresh", self.refresh)
            if (method, path) == ("post", "/resumes/") and self.resume_id is None:
                self.resume_id = body["id"]
        if (method, path) == ("post", "/auth/password/reset/confirm/"):
            # A reset logs every session out: the person logs in again, with the new password.
            self.note(
                "post",
                "/auth/token/",
                APIClient()
                .post(
                    "/api/auth/token/",
                    {"username": "ada", "password": PASSWORD_AFTER_RESET},
                    format="json",
                )
                .json(),
            )


def example_requests(
    spec: dict[str, Any], operation: dict[str, Any]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(format, data) for each example request the document gives for `operation`."""
    schema = body_schema(spec, operation)
    if schema is not None and "example" in schema:
        yield "json", schema["example"]
    for block in JSON_BLOCK.findall(operation.get("description", "")):
        yield "json", json.loads(block)
    form = {
        name: value if isinstance(value, str) else json.dumps(value)  # as Swagger UI sends it
        for name, parameter in form_parameters(operation).items()
        if (value := parameter.get("x-example")) is not None
    }
    if form:
        yield "multipart", form


def check_what_the_walk_made(walk: Walk) -> None:
    # The examples are one person's: they signed up, logged in, changed their name and
    # address...
    user = User.objects.get(username="ada.lovelace")
    assert user.email == "ada.lovelace@example.com"
    assert user.profile.headline == "Mathematician and writer"
    # ...and made résumés by form, by JSON and by import, then changed the first one.
    assert Resume.objects.filter(owner=user).count() == 3
    first = Resume.objects.get(pk=walk.resume_id)
    assert first.is_public
    assert first.content["work"][0]["startDate"] == "1842-10"
    assert ("post", "/uploads/", "json") in walk.sent
    assert ("post", "/auth/logout/", "json") in walk.sent
    # ...verified their address and reset, then changed, their password.
    assert user.email_verified
    assert user.check_password(users_docs.PASSWORD_AFTER_CHANGE)


def test_every_example_request_succeeds_as_it_stands(spec):
    walk = Walk()
    for method, path, operation in operations(spec):
        if (method, path) == ACCOUNT_DELETE:
            check_what_the_walk_made(walk)  # before it all goes
        requests = list(example_requests(spec, operation))
        reads_body = any(p["in"] in ("body", "formData") for p in operation["parameters"])
        assert bool(requests) == reads_body, (method, path)
        for fmt, data in requests:
            response = getattr(walk.client(operation), method)(
                walk.url(path), walk.fill(path, data), format=fmt
            )
            assert 200 <= response.status_code < 300, (method, path, fmt, response.content)
            walk.note(method, path, response.json() if response.content else None)
            walk.sent.append((method, path, fmt))

    # ...and, last, deleted the account.
    assert walk.sent[-1] == (*ACCOUNT_DELETE, "json")
    assert not User.objects.filter(username="ada.lovelace").exists()


# --- Error examples are real answers ----------------------------------------------------

BAD_DATE = {"work": [{"startDate": "1201-17-09"}]}


def unknown_upload_key(field: str) -> Callable[[User], dict[str, str]]:
    """A body naming an upload key in the user's own staging area that was never issued."""
    return lambda user: {field: f"uploads/{user.pk}/0123456789abcdef0123456789abcdef.jpg"}


@dataclass
class BadRequest:
    """A request that gets the documented error of (method, path, status)."""

    method: str
    path: str
    status: str
    data: dict[str, Any] | Callable[[User], dict[str, Any]] | None = None
    query: str = ""
    anonymous: bool = False
    content_type: str = "application/json"


BAD_REQUESTS = [
    BadRequest(
        "post",
        "/auth/register/",
        "400",
        {"username": "ada", "email": "ada@example.com", "password": "ada1"},
        anonymous=True,
    ),
    BadRequest("post", "/auth/token/", "400", {"username": "alice"}, anonymous=True),
    BadRequest(
        "post", "/auth/token/", "401", {"username": "alice", "password": "wrong"}, anonymous=True
    ),
    BadRequest("post", "/auth/token/refresh/", "400", {}, anonymous=True),
    BadRequest("post", "/auth/token/refresh/", "401", {"refresh": "not-a-token"}, anonymous=True),
    BadRequest("post", "/auth/logout/", "400", {"refresh": "not-a-token"}),
    BadRequest("post", "/auth/logout/", "401", {"refresh": "not-a-token"}, anonymous=True),
    BadRequest("patch", "/auth/me/", "400", {"username": "ada lovelace"}),
    BadRequest("post", "/auth/email/verify/", "400", {"uid": "MQ", "token": "x"}, anonymous=True),
    BadRequest("post", "/auth/email/verify/resend/", "400", {"email": "ada"}, anonymous=True),
    BadRequest("post", "/auth/password/reset/", "400", {"email": "ada"}, anonymous=True),
    BadRequest(
        "post",
        "/auth/password/reset/confirm/",
        "400",
        {"uid": "MQ", "token": "x", "new_password": "Difference-Engine-1822"},
        anonymous=True,
    ),
    BadRequest(
        "post",
        "/auth/password/change/",
        "400",
        {"current_password": "wrong", "new_password": "Difference-Engine-1822"},
    ),
    BadRequest(
        "post",
        "/auth/email/change/",
        "400",
        {"new_email": "ada@example.org", "current_password": "wrong"},
    ),
    BadRequest("post", "/auth/email/change/confirm/", "400", {"token": "x"}, anonymous=True),
    BadRequest("post", "/auth/me/delete/", "400", {"current_password": "wrong"}),
    BadRequest("put", "/profiles/me/", "400", {"website": "not a link"}),
    BadRequest("patch", "/profiles/me/", "400", unknown_upload_key("avatar_key")),
    BadRequest("get", "/resumes/", "400", query="?ordering=salary"),
    BadRequest("get", "/resumes/", "404", query="?page=9"),
    BadRequest("post", "/resumes/", "400", {"content": BAD_DATE}),
    BadRequest("get", "/resumes/{resume_id}/", "404"),
    BadRequest("put", "/resumes/{resume_id}/", "400", {"title": ""}),
    BadRequest("patch", "/resumes/{resume_id}/", "400", unknown_upload_key("image_key")),
    BadRequest("patch", "/resumes/{resume_id}/", "415", {"title": "x"}, content_type="text/plain"),
    BadRequest("get", "/resumes/{resume_id}/pdf/", "400", query="?theme=neon"),
    BadRequest("get", "/resumes/{resume_id}/pdf/", "404"),
    BadRequest(
        "post", "/resumes/import/", "400", {"basics": {"email": "ada-at-example"}, **BAD_DATE}
    ),
    BadRequest("get", "/resumes/{resume_id}/preview/", "400", query="?theme=neon"),
    BadRequest("get", "/resumes/{resume_id}/preview/", "404"),
    BadRequest(
        "post",
        "/uploads/",
        "400",
        {"purpose": "resume-image", "content_type": "image/jpeg", "size": 10_000_000},
    ),
    BadRequest("get", "/public/resumes/{share_slug}/", "404", anonymous=True),
]


@pytest.mark.parametrize(
    "bad", BAD_REQUESTS, ids=lambda bad: f"{bad.method} {bad.path} {bad.status}"
)
def test_documented_error_examples_are_what_the_api_answers(spec, user, bad):
    documented = spec["paths"][bad.path][bad.method]["responses"][bad.status]
    resume = Resume.objects.create(owner=user, title="Mine")
    if bad.status == "404":  # someone else's résumé, or a link nobody shared
        resume = Resume.objects.create(owner=User.objects.create_user("bob"), title="Bob's")
    path = bad.path.replace("{resume_id}", str(resume.pk)).replace("{share_slug}", "no-such-link")
    client = APIClient() if bad.anonymous else client_for(user)
    data = bad.data(user) if callable(bad.data) else bad.data
    body = json.dumps(data) if data is not None else ""

    response = client.generic(
        bad.method.upper(), f"/api{path}{bad.query}", body, content_type=bad.content_type
    )

    assert response.status_code == int(bad.status), response.content
    assert response.json() == documented["examples"]["application/json"]


def test_every_error_response_has_an_example_of_its_own_operation(spec):
    for method, path, operation in operations(spec):
        fields = set(form_parameters(operation))
        schema = body_schema(spec, operation)
        if schema is not None:
            fields |= set(schema["properties"])
        fields |= {p["name"] for p in operation["parameters"] if p["in"] == "query"}
        for status, response in operation["responses"].items():
            if status.startswith(("2", "3")):
                continue
            example = response["examples"]["application/json"]
            if status == "400":
                # Named by field, or by a value's path in a JSON Resume document.
                named = {re.split(r"[.\[]", key)[0] for key in example}
                assert named <= fields | {"non_field_errors"}, (method, path, example)
            else:
                assert "detail" in example, (method, path, status)


def test_every_operations_own_error_example_is_checked_against_the_api(spec):
    """Each operation's 400 example, the one that names its own fields, is sent above."""
    checked = {(bad.method, bad.path) for bad in BAD_REQUESTS if bad.status == "400"}
    with_400 = {
        (method, path)
        for method, path, operation in operations(spec)
        if "400" in operation["responses"]
    }
    assert with_400 == checked
