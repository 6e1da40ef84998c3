"""`/`, the address `make run` prints, says where to go."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_root_links_to_the_documentation_and_the_api(anon):
    response = anon.get("/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["documentation"]["swagger_ui"] == "http://testserver/swagger/"
    assert body["documentation"]["openapi"] == "http://testserver/swagger.json"
    assert body["endpoints"]["token"] == "http://testserver/api/auth/token/"
    assert body["endpoints"]["resumes"] == "http://testserver/api/resumes/"
    # Every link works (the protected ones ask for a token rather than being missing).
    links = [*body["documentation"].values(), *body["endpoints"].values()]
    statuses = {link: anon.get(link).status_code for link in links}
    assert all(status in (200, 401, 405) for status in statuses.values()), statuses


def test_the_root_is_not_in_the_api_schema(anon):
    schema = anon.get("/swagger.json").json()

    assert schema["basePath"] == "/api"
    assert "/" not in schema["paths"]
    assert "/auth/token/" in schema["paths"]
