"""The API's documentation: /swagger.json lists every operation as designed; Swagger UI and
ReDoc render."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


EXPECTED_OPERATIONS = {
    ("/auth/register/", "post"),
    ("/auth/token/", "post"),
    ("/auth/token/refresh/", "post"),
    ("/auth/logout/", "post"),
    ("/auth/logout/all/", "post"),
    ("/auth/me/", "get"),
    ("/auth/me/", "patch"),
    ("/auth/email/verify/", "post"),
    ("/auth/email/verify/resend/", "post"),
    ("/auth/email/change/", "post"),
    ("/auth/email/change/confirm/", "post"),
    ("/auth/password/change/", "post"),
    ("/auth/password/reset/", "post"),
    ("/auth/password/reset/confirm/", "post"),
    ("/profiles/me/", "get"),
    ("/profiles/me/", "put"),
    ("/profiles/me/", "patch"),
    ("/resumes/", "get"),
    ("/resumes/", "post"),
    ("/resumes/{resume_id}/", "get"),
    ("/resumes/{resume_id}/", "put"),
    ("/resumes/{resume_id}/", "patch"),
    ("/resumes/{resume_id}/", "delete"),
    ("/resumes/{resume_id}/export/", "get"),
    ("/resumes/{resume_id}/share-link/", "post"),
    ("/resumes/{resume_id}/preview/", "get"),
    ("/resumes/{resume_id}/pdf/", "get"),
    ("/themes/", "get"),
    ("/resumes/import/", "post"),
    ("/public/resumes/{share_slug}/", "get"),
    ("/public/resumes/{share_slug}/image/", "get"),
    ("/public/resumes/{share_slug}/image/thumbnail/", "get"),
    ("/uploads/", "post"),
    ("/exports/", "get"),
    ("/exports/", "post"),
    ("/exports/{export_id}/", "get"),
    ("/auth/me/delete/", "post"),
}
HTTP_METHODS = {"get", "put", "patch", "post", "delete"}


@pytest.fixture(scope="module")
def spec(django_db_blocker):
    with django_db_blocker.unblock():
        response = Client().get("/swagger.json")
    assert response.status_code == 200
    return response.json()


def test_swagger_json_lists_every_operation(spec):
    operations = {
        (path, method)
        for path, item in spec["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }

    assert spec["basePath"] == "/api"
    assert operations == EXPECTED_OPERATIONS


def test_every_operation_documents_its_responses_and_unique_id(spec):
    ids = []
    for item in spec["paths"].values():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                ids.append(operation["operationId"])
                # Its answer when it works: a 2xx, or the 302 of a redirect.
                assert any(code.startswith(("2", "3")) for code in operation["responses"])
    assert len(ids) == len(set(ids))


def test_bearer_security_is_declared(spec):
    assert spec["securityDefinitions"]["Bearer"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": spec["securityDefinitions"]["Bearer"]["description"],
    }
    assert spec["security"] == [{"Bearer": []}]
    login = spec["paths"]["/auth/token/"]["post"]
    assert login["security"] == []


@pytest.mark.parametrize(
    ("path", "method", "field"),
    [
        ("/resumes/", "post", "image"),
        ("/resumes/{resume_id}/", "put", "image"),
        ("/resumes/{resume_id}/", "patch", "image"),
        ("/profiles/me/", "put", "avatar"),
        ("/profiles/me/", "patch", "avatar"),
    ],
)
def test_image_fields_are_file_inputs(spec, path, method, field):
    operation = spec["paths"][path][method]

    assert "multipart/form-data" in operation["consumes"]
    params = {p["name"]: p for p in operation["parameters"] if p["in"] == "formData"}
    assert params[field]["type"] == "file"


def test_patch_form_fields_are_optional_and_post_requires_title(spec):
    patch = spec["paths"]["/resumes/{resume_id}/"]["patch"]["parameters"]
    post = spec["paths"]["/resumes/"]["post"]["parameters"]

    assert not any(p.get("required") for p in patch if p["in"] == "formData")
    assert {p["name"] for p in post if p.get("required")} == {"title"}


def test_list_documents_query_parameters_and_page_envelope(spec):
    operation = spec["paths"]["/resumes/"]["get"]
    params = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    page = operation["responses"]["200"]["schema"]

    assert params == {"search", "ordering", "page", "page_size"}
    definition = spec["definitions"][page["$ref"].rsplit("/", 1)[-1]]
    assert set(definition["properties"]) == {"count", "next", "previous", "results"}


@pytest.mark.parametrize("path", ["/swagger/", "/redoc/"])
def test_doc_pages_render(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert b"<html" in response.content.lower()
