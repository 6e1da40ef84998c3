"""What /swagger.json says of résumé content, import, export and sharing."""

import pytest

from tests.support.json_resume import current_schema

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def spec(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/swagger.json").json()


def test_swagger_documents_the_content_schema(spec):
    schema = current_schema()
    definitions = spec["definitions"]
    document = definitions["JSONResume"]["properties"]

    assert set(document) == set(schema["properties"])
    assert definitions["Resume"]["properties"]["content"] == {"$ref": "#/definitions/JSONResume"}
    work = document["work"]["items"]["properties"]
    assert set(work) == set(schema["properties"]["work"]["items"]["properties"])
    # Dates inline (the schema's own definitions mean nothing in the API's description),
    # with the official pattern; the project's bounds beside the schema's fields.
    iso8601 = schema["definitions"]["iso8601"]
    assert work["startDate"]["pattern"] == iso8601["pattern"]
    assert document["certificates"]["items"]["properties"]["date"]["pattern"]
    assert work["summary"]["maxLength"] == 5_000
    assert document["work"]["maxItems"] == 100
    assert "$ref" not in str(document)
    changes = definitions["Resume"]["properties"]["content_changes"]
    assert changes["readOnly"] is True
    assert changes["items"] == {"$ref": "#/definitions/ContentChange"}
    change = definitions["ContentChange"]["properties"]
    assert set(change) == {"path", "action", "reason", "from", "to"}
    # Any JSON value: text, a number, null, an object (OpenAPI 2.0 writes that as no type).
    assert "type" not in change["from"] and "type" not in change["to"]


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
