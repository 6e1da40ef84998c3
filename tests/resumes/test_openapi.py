"""What /swagger.json says of résumé content, import, export and sharing."""

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db


SCHEMA = json.loads((Path(__file__).parent / "schemas" / "json-resume-1.0.0.json").read_text())


@pytest.fixture(scope="module")
def spec(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/swagger.json").json()


def test_swagger_documents_the_content_schema(spec):
    definitions = spec["definitions"]
    sections = {
        "Basics", "Location", "Profile", "Work", "Volunteer", "Education", "Award",
        "Certificate", "Publication", "Skill", "Language", "Interest", "Reference", "Project",
        "Meta",
    }  # fmt: skip

    assert {f"JSONResume{name}" for name in sections} <= set(definitions)
    document = definitions["JSONResume"]["properties"]
    assert set(document) == set(SCHEMA["properties"])
    assert document["work"]["items"] == {"$ref": "#/definitions/JSONResumeWork"}
    assert definitions["Resume"]["properties"]["content"] == {"$ref": "#/definitions/JSONResume"}
    work = definitions["JSONResumeWork"]["properties"]
    assert set(work) == set(SCHEMA["properties"]["work"]["items"]["properties"])
    assert work["startDate"]["pattern"]
    assert definitions["JSONResumeCertificate"]["properties"]["date"]["pattern"]


def test_swagger_documents_import_export_and_sharing(spec):
    paths = spec["paths"]
    import_op = paths["/resumes/import/"]["post"]
    body = next(p for p in import_op["parameters"] if p["in"] == "body")

    assert body["schema"] == {"$ref": "#/definitions/JSONResume"}
    assert {"201", "400", "401"} <= set(import_op["responses"])
    export_op = paths["/resumes/{resume_id}/export/"]["get"]
    assert export_op["responses"]["200"]["schema"] == {"$ref": "#/definitions/JSONResume"}
    share_op = paths["/resumes/{resume_id}/share-link/"]["post"]
    assert share_op["responses"]["200"]["schema"] == {"$ref": "#/definitions/ShareLink"}
    public_op = paths["/public/resumes/{share_slug}/"]["get"]
    assert public_op["security"] == []
    assert {"200", "404", "429"} <= set(public_op["responses"])
    public = spec["definitions"]["PublicResume"]["properties"]
    assert "owner" not in public
    assert public["content"] == {"$ref": "#/definitions/JSONResume"}


def test_swagger_form_carries_content_as_a_json_string(spec):
    for path, method in [("/resumes/", "post"), ("/resumes/{resume_id}/", "patch")]:
        params = {p["name"]: p for p in spec["paths"][path][method]["parameters"]}
        assert params["content"]["in"] == "formData"
        assert params["content"]["type"] == "string"
        assert params["is_public"]["type"] == "boolean"
