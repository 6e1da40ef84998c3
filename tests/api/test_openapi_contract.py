"""What /swagger.json promises matches what the API does, where the fuzzer found it did not."""

from typing import Any

import pytest
from django.test import Client
from rest_framework_simplejwt.tokens import RefreshToken

from resumes.models import Resume
from tests.support.api import client_for
from users.models import User

pytestmark = pytest.mark.django_db

HTTP_METHODS = {"get", "put", "patch", "post", "delete"}


@pytest.fixture
def spec() -> dict[str, Any]:
    response = Client().get("/swagger.json")
    assert response.status_code == 200
    return response.json()


def operation(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    return spec["paths"][path][method]


def body_parameter(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    (parameter,) = [p for p in operation(spec, path, method)["parameters"] if p["in"] == "body"]
    return parameter


def test_no_content_responses_are_not_promised_json(spec: dict[str, Any], user: User) -> None:
    # Swagger 2.0 lists media types per operation: one that can answer 204 lists none.
    media_types = {
        (path, method): op.get("produces", spec.get("produces", []))
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS
    }
    no_content = {key for key, types in media_types.items() if types == []}
    assert no_content == {
        ("/auth/logout/", "post"),
        ("/auth/logout/all/", "post"),
        ("/auth/password/reset/confirm/", "post"),
        ("/resumes/{resume_id}/", "delete"),
        ("/auth/me/delete/", "post"),
    }
    # The preview answers an HTML document, its errors in JSON.
    documents = {("/resumes/{resume_id}/preview/", "get")}
    assert {key: media_types[key] for key in documents} == {
        key: ["text/html", "application/json"] for key in documents
    }
    assert all(
        types == ["application/json"]
        for key, types in media_types.items()
        if key not in no_content | documents
    )

    client = client_for(user)
    resume = Resume.objects.create(owner=user, title="Gone")
    deleted = client.delete(f"/api/resumes/{resume.id}/")
    logged_out_everywhere = client.post("/api/auth/logout/all/")
    logged_out = client.post(
        "/api/auth/logout/", {"refresh": str(RefreshToken.for_user(user))}, format="json"
    )
    for response in (deleted, logged_out, logged_out_everywhere):
        assert response.status_code == 204
        assert "Content-Type" not in response.headers


def test_a_json_body_is_required_only_when_one_of_its_fields_is(
    spec: dict[str, Any], user: User
) -> None:
    me = body_parameter(spec, "/auth/me/", "patch")
    assert me["required"] is False
    assert (
        "required" not in me["schema"]
    )  # a partial update, inline: the definition requires username
    assert body_parameter(spec, "/resumes/import/", "post")["required"] is False
    assert body_parameter(spec, "/uploads/", "post")["required"] is True
    assert body_parameter(spec, "/auth/logout/", "post")["required"] is True

    client = client_for(user)
    assert client.patch("/api/auth/me/").status_code == 200
    assert client.patch("/api/auth/me/", {"username": "alicia"}, format="json").status_code == 200
    user.refresh_from_db()
    assert user.username == "alicia"


def test_optional_form_fields_may_be_sent_empty(spec: dict[str, Any], user: User) -> None:
    for method in ("put", "patch"):
        parameters = {p["name"]: p for p in operation(spec, "/profiles/me/", method)["parameters"]}
        assert parameters["avatar_key"]["minLength"] == 1
        assert parameters["avatar_key"]["allowEmptyValue"] is True
    resume_put = {
        p["name"]: p for p in operation(spec, "/resumes/{resume_id}/", "put")["parameters"]
    }
    assert resume_put["title"]["required"] is True
    assert "allowEmptyValue" not in resume_put["title"]

    # DRF reads an empty optional form field as left out: no key is claimed.
    response = client_for(user).put("/api/profiles/me/", {"avatar_key": "", "bio": "Hi"})
    assert response.status_code == 200, response.json()
    assert response.json()["bio"] == "Hi"


def test_optional_query_parameters_may_be_sent_empty(spec: dict[str, Any], user: User) -> None:
    parameters = {p["name"]: p for p in operation(spec, "/resumes/", "get")["parameters"]}
    assert {name for name, p in parameters.items() if p.get("allowEmptyValue")} == {
        "search",
        "ordering",
        "page",
        "page_size",
    }

    Resume.objects.create(owner=user, title="B")
    Resume.objects.create(owner=user, title="A")
    # An empty value is the default: newest first, first page, 20 a page.
    response = client_for(user).get("/api/resumes/?ordering=&page=&page_size=&search=")
    assert response.status_code == 200, response.json()
    assert [item["title"] for item in response.json()["results"]] == ["A", "B"]


def test_unknown_query_parameters_are_refused_by_name(user: User) -> None:
    response = client_for(user).get("/api/resumes/?order=title&page=1")
    assert response.status_code == 400
    assert response.json() == {
        "order": ["Unknown query parameter; this list reads search, ordering, page, page_size."]
    }


def test_a_body_without_a_content_type_is_a_documented_415(spec: dict[str, Any], user: User):
    resume = Resume.objects.create(owner=user, title="Engineer")
    path = f"/api/resumes/{resume.pk}/"

    # What the fuzzer sent: a body, and a Content-Type header naming no media type.
    response = client_for(user).generic("PATCH", path, b"title=x", content_type="")

    assert response.status_code == 415
    assert "detail" in response.json()
    assert "415" in operation(spec, "/resumes/{resume_id}/", "patch")["responses"]
    # Only operations that read a body document it.
    assert "415" not in operation(spec, "/resumes/{resume_id}/", "get")["responses"]
