"""Real JSON Resume documents written by others (the team's corpus, copied unchanged into
tests/resumes/jsonresume-corpus/) through the import endpoint, and the official schema's own
test fixtures against the API's verdicts."""

import hashlib
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from resumes.models import Resume
from tests.support.json_resume import (
    INVALID_KINDS,
    CorpusFile,
    corpus_documents,
    corpus_schemas,
    schema_errors,
    schema_tests,
)

pytestmark = pytest.mark.django_db

IMPORT = "/api/resumes/import/"

DOCUMENTS = corpus_documents()
# What a theme renders: every document but those written to be refused and the one that is
# not JSON.
RENDERABLE = [f for f in DOCUMENTS if f.kind not in INVALID_KINDS and "not-json" not in f.traits]


def export(resume_id: int) -> str:
    return f"/api/resumes/{resume_id}/export/"


def upload(corpus_file: CorpusFile) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        corpus_file.file, corpus_file.read_bytes(), content_type="application/json"
    )


@pytest.mark.parametrize(
    "corpus_file",
    [*DOCUMENTS, *corpus_schemas(), *schema_tests()],
    ids=lambda f: f.file,
)
def test_the_corpus_is_an_unchanged_copy(corpus_file):
    assert hashlib.sha256(corpus_file.read_bytes()).hexdigest() == corpus_file.sha256


def test_the_corpus_is_what_the_issue_describes():
    assert len(DOCUMENTS) == 28
    assert len(RENDERABLE) == 25


@pytest.mark.parametrize("corpus_file", RENDERABLE, ids=lambda f: f.file)
def test_every_document_a_theme_renders_imports(api, corpus_file):
    response = api.post(IMPORT, {"file": upload(corpus_file)}, format="multipart")

    assert response.status_code == 201, response.json()
    body = response.json()
    stored = Resume.objects.get(pk=body["id"]).content
    assert json.dumps(body["content"]) == json.dumps(stored)
    assert all(change["reason"] for change in body["content_changes"])

    exported = api.get(export(body["id"])).json()

    # Without a résumé image, the export is the stored document, key for key, in order.
    assert json.dumps(exported) == json.dumps(stored)
    assert schema_errors(exported) == []


def test_the_sender_key_order_is_kept(api):
    corpus_file = next(f for f in RENDERABLE if "rirekisho" in f.file)
    sent = json.loads(corpus_file.read_bytes())

    stored = api.post(IMPORT, {"file": upload(corpus_file)}, format="multipart").json()["content"]

    assert list(stored) == list(sent)
    assert list(stored["basics"]) == [key for key in sent["basics"] if key != "image"]
    assert list(stored["work"][0]) == [key for key in sent["work"][0] if key != "endDate"]


@pytest.mark.parametrize("corpus_file", RENDERABLE, ids=lambda f: f.file)
def test_importing_a_document_twice_gives_the_same_content(api, corpus_file):
    first = api.post(IMPORT, {"file": upload(corpus_file)}, format="multipart").json()
    second = api.post(IMPORT, {"file": upload(corpus_file)}, format="multipart").json()
    again = api.post(IMPORT, first["content"], format="json").json()

    assert json.dumps(second["content"]) == json.dumps(first["content"])
    assert second["content_changes"] == first["content_changes"]
    assert json.dumps(again["content"]) == json.dumps(first["content"])
    assert {change["action"] for change in again["content_changes"]} <= {"kept"}


@pytest.mark.parametrize(
    ("name", "errors"),
    [
        ("basics-wrong-type", {"basics": ["Expected an object, not a list."]}),
        ("invalid-email", {"basics.email": ["Enter a valid email address."]}),
    ],
)
def test_the_official_invalid_examples_are_refused_naming_the_problem(api, name, errors):
    corpus_file = next(f for f in DOCUMENTS if name in f.file)
    assert corpus_file.kind in INVALID_KINDS

    as_file = api.post(IMPORT, {"file": upload(corpus_file)}, format="multipart")
    as_body = api.post(IMPORT, corpus_file.read_bytes(), content_type="application/json")

    assert as_file.status_code == as_body.status_code == 400
    assert as_file.json() == as_body.json() == errors
    assert not Resume.objects.exists()


def test_the_file_that_is_not_json_is_refused_naming_the_problem(api):
    corpus_file = next(f for f in DOCUMENTS if "not-json" in f.traits)

    as_file = api.post(IMPORT, {"file": upload(corpus_file)}, format="multipart")
    as_body = api.post(IMPORT, corpus_file.read_bytes(), content_type="application/json")

    assert as_file.status_code == as_body.status_code == 400
    assert as_file.json()["file"][0].startswith("Not valid JSON: ")
    assert as_body.json()["non_field_errors"] == as_file.json()["file"]
    assert not Resume.objects.exists()


# --- The schema's own test fixtures ----------------------------------------------


def fixture_cases() -> list[tuple[str, str, Any]]:
    cases = []
    for corpus_file in schema_tests():
        for name, document in json.loads(corpus_file.read_bytes()).items():
            cases.append((corpus_file.file.split("___")[-1], name, document))
    return cases


def defining_path(document: Any) -> str:
    """The path of the one value a fixture case is about: its innermost value."""
    path, value = "", document
    while isinstance(value, dict | list) and len(value) == 1:
        if isinstance(value, dict):
            key, value = next(iter(value.items()))
            path = f"{path}.{key}" if path else key
        else:
            path, value = f"{path}[0]", value[0]
    return path


@pytest.mark.parametrize(("fixture", "name", "document"), fixture_cases())
def test_the_schema_fixtures_agree_with_the_api(api, fixture, name, document):
    response = api.post(IMPORT, document, format="json")
    body = response.json()
    path = defining_path(document)

    verdict = name.rstrip("23").lower()  # nameValid, dateValid2, valid, invalid, ...
    if verdict.endswith("valid") and not verdict.endswith("invalid"):
        assert response.status_code == 201, body
        # Valid as sent: stored as sent, but for basics.image, which is never stored.
        changes = [(change["path"], change["action"]) for change in body["content_changes"]]
        assert changes == ([("basics.image", "removed")] if path == "basics.image" else [])
        return
    # An invalid case is refused naming its value, or it is one of the patterns the API
    # reads (null for a value left out; a key the schema does not have) and says so.
    if response.status_code == 400:
        assert path in body or any(path.startswith(f"{bad}.") for bad in body), body
        return
    assert response.status_code == 201, body
    changed = [change["path"] for change in body["content_changes"]]
    assert any(path == done or path.startswith((f"{done}.", f"{done}[")) for done in changed)
