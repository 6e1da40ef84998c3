"""Résumé content in the JSON Resume 1.0.0 format over HTTP: validation, import, export.

Exports are checked against the official schema, `tests/resumes/schemas/json-resume-1.0.0.json`
(see the README beside it), with every format checker jsonschema has.
"""

import copy
import json
import socket
from pathlib import Path
from urllib.parse import urlparse

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from resumes import json_resume
from resumes.models import Resume
from tests.support.api import client_for
from tests.support.uploads import image_upload

pytestmark = pytest.mark.django_db


LIST = "/api/resumes/"
IMPORT = "/api/resumes/import/"
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "json-resume-1.0.0.json").read_text())
FULL_DOCUMENT = {
    "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
    "basics": {
        "name": "Ada Lovelace",
        "label": "Analyst",
        "image": "https://images.example.com/ada.png",
        "email": "ada@example.com",
        "phone": "+44 20 7946 0000",
        "url": "https://ada.example.com/",
        "summary": "First to publish an algorithm for a machine.\nNotes on the Engine.",
        "location": {
            "address": "12 St James's Square\nSecond floor",
            "postalCode": "SW1Y 4JH",
            "city": "London",
            "countryCode": "GB",
            "region": "Greater London",
            "x-timezone": "Europe/London",
        },
        "profiles": [
            {
                "network": "Mastodon",
                "username": "ada",
                "url": "https://mastodon.example.com/@ada",
                "x-primary": True,
            },
            {"network": "GitHub", "username": "ada-l", "url": "https://github.com/ada-l"},
        ],
        "x-pronouns": "she/her",
    },
    "work": [
        {
            "name": "Analytical Engine Project",
            "location": "London",
            "description": "Mechanical general-purpose computing",
            "position": "Analyst",
            "url": "https://engine.example.com",
            "startDate": "1842",
            "endDate": "1843-09",
            "summary": "Translated and annotated Menabrea's article.",
            "highlights": ["Note G: Bernoulli numbers", "Loops and subroutines"],
            "x-team": {"size": 2, "lead": "Charles Babbage", "remote": False, "budget": None},
        }
    ],
    "volunteer": [
        {
            "organization": "Mathematical Society",
            "position": "Correspondent",
            "url": "https://society.example.org/",
            "startDate": "1840-01-15",
            "endDate": "1841-12-31",
            "summary": "Letters on calculus.",
            "highlights": ["Corresponded with De Morgan"],
            "x-hours": 120.5,
        }
    ],
    "education": [
        {
            "institution": "Private tutoring",
            "url": "https://tutors.example.com",
            "area": "Mathematics",
            "studyType": "Tutorials",
            "startDate": "1829",
            "endDate": "1840",
            "score": "Excellent",
            "courses": ["Calculus", "Logic"],
            "x-tutors": ["Augustus De Morgan", "Mary Somerville"],
        }
    ],
    "awards": [
        {
            "title": "Ada Lovelace Day",
            "date": "2009-03",
            "awarder": "Suw Charman-Anderson",
            "summary": "A day named after her.",
            "x-recurring": True,
        }
    ],
    "certificates": [
        {
            "name": "Certified Algorithm Author",
            "date": "1843-10-01",
            "url": "https://certs.example.com/ada",
            "issuer": "The Engine Guild",
            "x-id": "AE-1",
        }
    ],
    "publications": [
        {
            "name": "Sketch of the Analytical Engine, with Notes",
            "publisher": "Taylor's Scientific Memoirs",
            "releaseDate": "1843-09",
            "url": "https://publications.example.com/sketch?notes=A-G&lang=en#note-g",
            "summary": "Notes A to G.",
            "x-pages": [666, 731],
        }
    ],
    "skills": [
        {
            "name": "Mathematics",
            "level": "Master",
            "keywords": ["Bernoulli numbers", "Calculus"],
            "x-years": 20,
        }
    ],
    "languages": [
        {"language": "English", "fluency": "Native", "x-cefr": "C2"},
        {"language": "French", "fluency": "Fluent"},
    ],
    "interests": [{"name": "Poetical science", "keywords": ["Music", "Flight"], "x-note": ""}],
    "references": [
        {
            "name": "Charles Babbage",
            "reference": "The Enchantress of Number.",
            "x-relationship": "colleague",
        }
    ],
    "projects": [
        {
            "name": "Flyology",
            "description": "A flying machine, after the birds.",
            "highlights": ["Wing anatomy studies"],
            "keywords": ["Steam", "Wings"],
            "startDate": "1828",
            "endDate": "1829",
            "url": "https://flyology.example.com",
            "roles": ["Designer", "Author"],
            "entity": "Personal",
            "type": "application",
            "x-status": "abandoned",
        }
    ],
    "meta": {
        "canonical": "https://ada.example.com/resume.json",
        "version": "v1.0.0",
        "lastModified": "2024-01-31T12:00:00",
        "x-theme": "elegant",
    },
}


def without_image(document: dict) -> dict:
    document = copy.deepcopy(document)
    document["basics"].pop("image", None)
    return document


STORED_DOCUMENT = without_image(FULL_DOCUMENT)


def detail(resume_id: int) -> str:
    return f"/api/resumes/{resume_id}/"


def export(resume_id: int) -> str:
    return f"/api/resumes/{resume_id}/export/"


def schema_errors(document: dict) -> list[str]:
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def key_of(url: str) -> str:
    return urlparse(url).path.lstrip("/")


@pytest.fixture
def no_network(monkeypatch):
    """Any outgoing connection fails the test: the server must never fetch a URL."""

    def refuse(*args, **kwargs):
        raise AssertionError("the server tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_the_full_document_is_valid_json_resume_and_covers_every_field():
    assert schema_errors(FULL_DOCUMENT) == []
    assert set(FULL_DOCUMENT) == set(SCHEMA["properties"])
    for section, definition in SCHEMA["properties"].items():
        if definition["type"] == "array":
            present = set().union(*(item.keys() for item in FULL_DOCUMENT[section]))
            assert set(definition["items"]["properties"]) <= present, section
        elif definition["type"] == "object":
            assert set(definition["properties"]) <= set(FULL_DOCUMENT[section]), section
    basics = SCHEMA["properties"]["basics"]["properties"]
    assert set(basics["location"]["properties"]) <= set(FULL_DOCUMENT["basics"]["location"])
    profile_fields = set(basics["profiles"]["items"]["properties"])
    assert profile_fields <= set(FULL_DOCUMENT["basics"]["profiles"][0])


def test_full_document_round_trips_through_import_and_export(api, user, no_network):
    imported = api.post(IMPORT, FULL_DOCUMENT, format="json")

    assert imported.status_code == 201, imported.json()
    body = imported.json()
    assert body["title"] == "Ada Lovelace – Analyst"
    assert body["summary"] == FULL_DOCUMENT["basics"]["summary"]
    assert body["content"] == STORED_DOCUMENT
    assert body["is_public"] is False
    assert Resume.objects.get(pk=body["id"]).owner == user

    exported = api.get(export(body["id"]))

    assert exported.status_code == 200
    assert exported["Content-Type"] == "application/json"
    assert exported["Content-Disposition"] == 'attachment; filename="ada-lovelace-analyst.json"'
    # Without a résumé image there is no basics.image; everything else is as imported.
    assert exported.json() == STORED_DOCUMENT
    assert schema_errors(exported.json()) == []


def test_import_from_a_multipart_json_file(api, no_network):
    upload = SimpleUploadedFile(
        "ada.json",
        json.dumps(FULL_DOCUMENT, indent=2).encode("utf-8-sig"),
        content_type="application/json",
    )

    response = api.post(IMPORT, {"file": upload}, format="multipart")

    assert response.status_code == 201, response.json()
    assert response.json()["content"] == STORED_DOCUMENT


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe{}", "The file is not UTF-8 text."),
        (b'{"basics": ', "Not valid JSON"),
    ],
)
def test_import_rejects_unreadable_files(api, data, message):
    upload = SimpleUploadedFile("cv.json", data, content_type="application/json")

    response = api.post(IMPORT, {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert response.json()["file"][0].startswith(message)
    assert not Resume.objects.exists()


def test_import_without_the_file_names_the_field(api):
    response = api.post(IMPORT, {"other": "x"}, format="multipart")

    assert response.status_code == 400
    assert response.json() == {"file": ["No file was submitted."]}


def test_import_validates_an_uploaded_file_like_a_json_body(api):
    upload = SimpleUploadedFile("cv.json", b'{"work": [{"startDate": "May 2020"}]}')

    response = api.post(IMPORT, {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert list(response.json()) == ["work[0].startDate"]


@pytest.mark.parametrize(
    ("basics", "title"),
    [
        ({"name": "Ada Lovelace"}, "Ada Lovelace"),
        ({"label": "Analyst"}, "Analyst"),
        ({"name": "  ", "label": ""}, "Imported résumé"),
        ({}, "Imported résumé"),
        ({"name": "N" * 200, "label": "L" * 200}, ("N" * 200)),
    ],
)
def test_import_titles_the_resume_from_basics(api, basics, title):
    response = api.post(IMPORT, {"basics": basics}, format="json")

    assert response.status_code == 201
    assert response.json()["title"] == title
    assert response.json()["summary"] == ""


def test_import_of_an_empty_document(api):
    response = api.post(IMPORT, {}, format="json")

    assert response.status_code == 201
    assert response.json()["content"] == {}
    assert api.get(export(response.json()["id"])).json() == {}


def test_imported_basics_image_is_dropped_and_never_fetched(api, no_network, bucket):
    document = {"basics": {"name": "Ada", "image": "http://169.254.169.254/latest/meta-data/"}}

    response = api.post(IMPORT, document, format="json")

    assert response.status_code == 201
    assert response.json()["content"] == {"basics": {"name": "Ada"}}
    assert response.json()["image"] is None
    assert bucket.object_keys() == []


def test_export_puts_the_resume_image_url_in_basics_image(api):
    created = api.post(
        LIST,
        {"title": "Ada", "content": json.dumps(FULL_DOCUMENT), "image": image_upload()},
        format="multipart",
    ).json()

    exported = api.get(export(created["id"])).json()

    assert key_of(exported["basics"]["image"]) == key_of(created["image"])
    assert key_of(created["image"]) == Resume.objects.get().image.name
    assert exported == {
        **STORED_DOCUMENT,
        "basics": {**STORED_DOCUMENT["basics"], "image": exported["basics"]["image"]},
    }
    assert schema_errors(exported) == []


def test_export_of_an_image_without_basics_adds_basics(api):
    created = api.post(LIST, {"title": "Ada", "image": image_upload()}, format="multipart")

    exported = api.get(export(created.json()["id"])).json()

    assert list(exported) == ["basics"]
    assert exported["basics"]["image"].startswith("https://")
    assert schema_errors(exported) == []


@pytest.mark.parametrize(
    ("title", "filename"),
    [
        ("Développeuse Python", "developpeuse-python.json"),
        ("简历", None),
        ('a"b\r\nc', "ab-c.json"),
    ],
)
def test_export_filename_is_the_title_slug(api, title, filename):
    resume_id = api.post(LIST, {"title": title}, format="json").json()["id"]

    response = api.get(export(resume_id))

    expected = filename or f"resume-{resume_id}.json"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'


def test_export_of_another_users_resume_is_404(api, other_user):
    theirs = client_for(other_user).post(IMPORT, FULL_DOCUMENT, format="json").json()

    assert api.get(export(theirs["id"])).status_code == 404
    assert api.get(export(999999)).status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/resumes/1/export/"), ("post", IMPORT), ("post", "/api/resumes/1/share-link/")],
)
def test_json_resume_endpoints_need_a_token(anon, method, path):
    assert getattr(anon, method)(path).status_code == 401


def test_create_and_patch_content_as_json(api):
    created = api.post(LIST, {"title": "Ada", "content": FULL_DOCUMENT}, format="json")
    assert created.status_code == 201
    assert created.json()["content"] == STORED_DOCUMENT
    resume_id = created.json()["id"]

    replaced = api.patch(
        detail(resume_id), {"content": {"skills": [{"name": "Logic"}]}}, format="json"
    )

    assert replaced.status_code == 200
    # The whole document is replaced; the other fields stay.
    assert replaced.json()["content"] == {"skills": [{"name": "Logic"}]}
    assert replaced.json()["title"] == "Ada"
    assert Resume.objects.get().content == {"skills": [{"name": "Logic"}]}


def test_patch_without_content_keeps_it(api):
    resume_id = api.post(IMPORT, FULL_DOCUMENT, format="json").json()["id"]

    response = api.patch(detail(resume_id), {"title": "New"}, format="json")

    assert response.json()["content"] == STORED_DOCUMENT


def test_new_resume_has_empty_content_and_a_private_share_link(api):
    body = api.post(LIST, {"title": "Ada"}, format="json").json()

    resume = Resume.objects.get()
    assert body["content"] == {}
    assert body["is_public"] is False
    assert body["share_slug"] == resume.share_slug
    assert len(resume.share_slug) >= 22
    assert body["share_url"] == f"http://testserver/r/{resume.share_slug}/"


def test_multipart_patch_with_content_as_json_string_and_an_image(api, bucket):
    resume_id = api.post(LIST, {"title": "Ada"}, format="json").json()["id"]

    response = api.patch(
        detail(resume_id),
        {"content": json.dumps(FULL_DOCUMENT), "image": image_upload(), "is_public": "true"},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    resume = Resume.objects.get()
    assert resume.content == STORED_DOCUMENT
    assert resume.is_public is True
    assert resume.image.name in bucket.object_keys()
    assert key_of(response.json()["image"]) == resume.image.name


def test_multipart_patch_without_content_keeps_it(api):
    resume_id = api.post(IMPORT, FULL_DOCUMENT, format="json").json()["id"]

    response = api.patch(detail(resume_id), {"title": "New"}, format="multipart")

    assert response.status_code == 200
    assert response.json()["content"] == STORED_DOCUMENT


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("{not json", "Not valid JSON"),
        ("[1, 2]", "Invalid data. Expected a dictionary, but got list."),
    ],
)
def test_multipart_content_must_be_a_json_object(api, bucket, content, error):
    resume_id = api.post(LIST, {"title": "Ada"}, format="json").json()["id"]

    response = api.patch(
        detail(resume_id), {"content": content, "image": image_upload()}, format="multipart"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["content"]
    assert response.json()["content"]["non_field_errors"][0].startswith(error)
    assert not Resume.objects.get().image
    assert bucket.object_keys() == []


def test_invalid_content_changes_nothing(api):
    resume_id = api.post(IMPORT, FULL_DOCUMENT, format="json").json()["id"]

    response = api.patch(
        detail(resume_id),
        {"title": "New", "content": {"work": [{}, {}, {"startDate": "yesterday"}]}},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "content": {
            "work[2].startDate": ["Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (ISO 8601)."]
        }
    }
    resume = Resume.objects.get()
    assert (resume.title, resume.content) == ("Ada Lovelace – Analyst", STORED_DOCUMENT)


def test_content_may_not_be_null(api):
    resume_id = api.post(LIST, {"title": "Ada"}, format="json").json()["id"]

    response = api.patch(detail(resume_id), {"content": None}, format="json")

    assert response.status_code == 400
    assert response.json() == {"content": {"non_field_errors": ["This field may not be null."]}}


DATE_ERROR = "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (ISO 8601)."
FULL_DATE_ERROR = "Enter a full date as YYYY-MM-DD."
URL_ERROR = json_resume.StrictURLField.default_error_messages["invalid"]


def long(n: int) -> str:
    return "x" * n


INVALID = [
    # dates
    ({"work": [{"startDate": "2020-13"}]}, "work[0].startDate", DATE_ERROR),
    ({"work": [{}, {}, {"endDate": "2021-02-29"}]}, "work[2].endDate", DATE_ERROR),
    ({"volunteer": [{"startDate": "2020/01/01"}]}, "volunteer[0].startDate", DATE_ERROR),
    ({"education": [{"endDate": "20-01"}]}, "education[0].endDate", DATE_ERROR),
    ({"education": [{"startDate": "2020\n"}]}, "education[0].startDate", DATE_ERROR),
    ({"awards": [{"date": "0999"}]}, "awards[0].date", DATE_ERROR),
    (
        {"publications": [{"releaseDate": "2020-01-01T00:00"}]},
        "publications[0].releaseDate",
        DATE_ERROR,
    ),
    ({"projects": [{"startDate": ""}]}, "projects[0].startDate", "This field may not be blank."),
    ({"projects": [{"endDate": 2020}]}, "projects[0].endDate", "Not a valid string."),
    ({"certificates": [{"date": "2020-01"}]}, "certificates[0].date", FULL_DATE_ERROR),
    ({"certificates": [{"date": "2020"}]}, "certificates[0].date", FULL_DATE_ERROR),
    ({"certificates": [{"date": "2020-02-30"}]}, "certificates[0].date", FULL_DATE_ERROR),
    # URLs
    ({"basics": {"url": "not a url"}}, "basics.url", URL_ERROR),
    ({"basics": {"url": "ada.example.com"}}, "basics.url", URL_ERROR),
    ({"basics": {"url": "https://ada.example.com/\n"}}, "basics.url", URL_ERROR),
    ({"basics": {"url": ""}}, "basics.url", "This field may not be blank."),
    (
        {"basics": {"profiles": [{"url": "javascript:alert(1)"}]}},
        "basics.profiles[0].url",
        URL_ERROR,
    ),
    ({"work": [{"url": "https://bücher.example/"}]}, "work[0].url", URL_ERROR),
    ({"projects": [{"url": "https://example.com/100%"}]}, "projects[0].url", URL_ERROR),
    ({"meta": {"canonical": "file:///etc/passwd"}}, "meta.canonical", URL_ERROR),
    ({"$schema": "schema.json"}, "$schema", URL_ERROR),
    # e-mail
    ({"basics": {"email": "ada-at-example.com"}}, "basics.email", "Enter a valid email address."),
    ({"basics": {"email": " ada@example.com"}}, "basics.email", "Enter a valid email address."),
    # types
    ({"basics": {"name": 42}}, "basics.name", "Not a valid string."),
    ({"basics": {"name": None}}, "basics.name", "This field may not be null."),
    (
        {"basics": {"location": "London"}},
        "basics.location",
        "Invalid data. Expected a dictionary, but got str.",
    ),
    ({"basics": []}, "basics", "Invalid data. Expected a dictionary, but got list."),
    ({"work": {"name": "x"}}, "work", 'Expected a list of items but got type "dict".'),
    ({"work": ["Engine"]}, "work[0]", "Invalid data. Expected a dictionary, but got str."),
    (
        {"skills": [{"keywords": "Logic"}]},
        "skills[0].keywords",
        'Expected a list of items but got type "str".',
    ),
    ({"skills": [{"keywords": ["Logic", 3]}]}, "skills[0].keywords[1]", "Not a valid string."),
    ({"interests": [{"name": True}]}, "interests[0].name", "Not a valid string."),
    ({"meta": "v1"}, "meta", "Invalid data. Expected a dictionary, but got str."),
    # unknown keys at the root
    ({"basic": {"name": "Ada"}}, "basic", "Unknown key. JSON Resume 1.0.0 allows only "),
    # sizes
    (
        {"work": [{}] * (json_resume.MAX_ITEMS + 1)},
        "work",
        f"Ensure this field has no more than {json_resume.MAX_ITEMS} elements.",
    ),
    (
        {"basics": {"profiles": [{}] * (json_resume.MAX_ITEMS + 1)}},
        "basics.profiles",
        f"Ensure this field has no more than {json_resume.MAX_ITEMS} elements.",
    ),
    (
        {"projects": [{"roles": ["r"] * (json_resume.MAX_STRINGS + 1)}]},
        "projects[0].roles",
        f"Ensure this field has no more than {json_resume.MAX_STRINGS} elements.",
    ),
    (
        {"basics": {"name": long(json_resume.MAX_SHORT_TEXT + 1)}},
        "basics.name",
        f"Ensure this field has no more than {json_resume.MAX_SHORT_TEXT} characters.",
    ),
    (
        {"references": [{"reference": long(json_resume.MAX_LONG_TEXT + 1)}]},
        "references[0].reference",
        f"Ensure this field has no more than {json_resume.MAX_LONG_TEXT} characters.",
    ),
    (
        {"work": [{"highlights": [long(json_resume.MAX_LONG_TEXT + 1)]}]},
        "work[0].highlights[0]",
        f"Ensure this field has no more than {json_resume.MAX_LONG_TEXT} characters.",
    ),
    (
        {"basics": {"url": "https://example.com/" + long(json_resume.MAX_URL_LENGTH)}},
        "basics.url",
        f"Ensure this field has no more than {json_resume.MAX_URL_LENGTH} characters.",
    ),
    (
        {"basics": {"x-notes": [long(json_resume.MAX_LONG_TEXT)] * 60}},
        "non_field_errors",
        "Document too large",
    ),
    (
        {"basics": {"x-notes": long(json_resume.MAX_LONG_TEXT + 1)}},
        "basics.x-notes",
        f"Ensure this field has no more than {json_resume.MAX_LONG_TEXT} characters.",
    ),
    (
        {"basics": {long(json_resume.MAX_SHORT_TEXT + 1): "x"}},
        "basics",
        f"A key is longer than {json_resume.MAX_SHORT_TEXT} characters.",
    ),
    (
        {"basics": {"x-counts": [0] * json_resume.MAX_VALUES}},
        "non_field_errors",
        f"Too many values: at most {json_resume.MAX_VALUES}",
    ),
    (
        {"basics": {"x": [[[[[[[[["deep"]]]]]]]]]}},
        "basics.x[0][0][0][0][0][0][0][0]",
        "Nested too deep",
    ),
    # values no database stores
    ({"basics": {"x-note": "a\x00b"}}, "basics.x-note", "Contains the control character U+0000"),
    ({"basics": {"x-big": 10**19}}, "basics.x-big", "Numbers must be between"),
    ({"basics": {"x-big": -(10**30)}}, "basics.x-big", "Numbers must be between"),
    # not a document at all
    ([FULL_DOCUMENT], "non_field_errors", "Invalid data. Expected a dictionary, but got list."),
    ("text", "non_field_errors", "Invalid data. Expected a dictionary, but got str."),
]


@pytest.mark.parametrize(("document", "path", "message"), INVALID)
def test_import_rejects_invalid_documents_naming_the_path(api, document, path, message):
    # json.dumps escapes what the test client's renderer cannot encode (lone surrogates).
    response = api.post(IMPORT, json.dumps(document), content_type="application/json")

    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [path], errors
    assert errors[path][0].startswith(message)
    assert not Resume.objects.exists()


@pytest.mark.parametrize(("document", "path", "message"), INVALID)
def test_content_rejects_invalid_documents_naming_the_path(api, document, path, message):
    resume_id = api.post(LIST, {"title": "Ada"}, format="json").json()["id"]

    response = api.patch(
        detail(resume_id), json.dumps({"content": document}), content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["content"]
    errors = response.json()["content"]
    assert list(errors) == [path], errors
    assert errors[path][0].startswith(message)
    assert Resume.objects.get().content == {}


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ('{"work": [{"x-ratio": 1e999}]}', "number is infinity when parsed as double"),
        ('{"work": [{"x-ratio": NaN}]}', "unexpected character, expected a JSON value"),
        # json.dumps writes a lone surrogate as an escape (\ud800), which orjson refuses.
        (json.dumps({"basics": {"x-note": "a\ud800b"}}), "no low surrogate in string"),
        (json.dumps({"basics": {"x\ud800": "b"}}), "no low surrogate in string"),
    ],
)
def test_values_json_cannot_hold_are_parse_errors_naming_the_reason(api, document, reason):
    resume_id = api.post(LIST, {"title": "Ada"}, format="json").json()["id"]

    imported = api.post(IMPORT, document, content_type="application/json")
    patched = api.patch(
        detail(resume_id), f'{{"content": {document}}}', content_type="application/json"
    )

    assert imported.status_code == patched.status_code == 400
    assert list(imported.json()) == list(patched.json()) == ["detail"]
    assert imported.json()["detail"].startswith(f"JSON parse error - {reason}: line 1 column ")
    assert patched.json()["detail"].startswith(f"JSON parse error - {reason}: line 1 column ")
    assert Resume.objects.get().content == {}


def test_every_error_is_reported_at_once(api):
    document = {
        "basics": {"email": "nope", "url": "nope"},
        "work": [{"startDate": "2020-13"}, {"name": 5}],
        "certificates": [{"date": "2020"}],
        "hobbies": [],
    }

    response = api.post(IMPORT, document, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {
        "basics.email",
        "basics.url",
        "work[0].startDate",
        "work[1].name",
        "certificates[0].date",
        "hobbies",
    }


@pytest.mark.parametrize(
    ("section", "field", "value"),
    [
        ("work", "startDate", "2024"),
        ("work", "startDate", "2024-02"),
        ("work", "startDate", "2024-02-29"),
        ("certificates", "date", "2024-02-29"),
        ("basics", "url", "ftp://files.example.com/cv.pdf"),
        ("basics", "url", "https://[2001:db8::1]:8443/a?b=c#d"),
        ("basics", "name", ""),
        ("basics", "summary", "  spaces and\ttabs are kept  "),
        ("basics", "name", "N" * json_resume.MAX_SHORT_TEXT),
    ],
)
def test_accepts_valid_values_exactly_as_sent(api, section, field, value):
    item = {field: value}
    document = {section: item if section == "basics" else [item]}

    response = api.post(IMPORT, document, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["content"] == document
    assert schema_errors(document) == []


def test_limits_allow_a_document_at_the_bounds(api):
    document = {
        "work": [{"highlights": ["h"] * json_resume.MAX_STRINGS}] * json_resume.MAX_ITEMS,
        "basics": {"x": [[[[[[[["deep enough"]]]]]]]]},
    }

    assert api.post(IMPORT, document, format="json").status_code == 201


@pytest.mark.parametrize("path", [IMPORT, LIST])
def test_a_json_body_nested_too_deep_to_parse_is_a_400(api, path):
    response = api.post(path, "[" * 100_000 + "]" * 100_000, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error - depth limit exceeded")


def test_deeply_nested_json_text_is_a_400(api):
    resume_id = api.post(LIST, {"title": "Ada"}, format="json").json()["id"]

    response = api.patch(
        detail(resume_id), {"content": "[" * 100_000 + "]" * 100_000}, format="multipart"
    )

    assert response.status_code == 400
    assert list(response.json()["content"]) == ["non_field_errors"]
