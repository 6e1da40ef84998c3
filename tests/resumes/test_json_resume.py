"""Résumé content in the JSON Resume format over HTTP: lenient reading, validation, import,
export, and the changes each write lists.

Exports are checked against the official current schema from the team's corpus
(tests/support/json_resume.py), with the API's format checks.
"""

import copy
import json
import socket
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from resumes import json_resume_schema as bounds
from resumes.json_resume_reading import IMAGE_REMOVED, KEPT
from resumes.json_resume_schema import DATE_MESSAGE, EMAIL_MESSAGE, SCHEMA_URL, URL_MESSAGE
from resumes.models import Resume
from tests.support.api import client_for
from tests.support.json_resume import current_schema, schema_errors
from tests.support.uploads import image_upload

pytestmark = pytest.mark.django_db


LIST = "/api/resumes/"
IMPORT = "/api/resumes/import/"
FULL_DOCUMENT = {
    "$schema": SCHEMA_URL,
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


def key_of(url: str) -> str:
    return urlparse(url).path.lstrip("/")


@pytest.fixture
def no_network(monkeypatch):
    """Any outgoing connection fails the test: the server must never fetch a URL."""

    def refuse(*args, **kwargs):
        raise AssertionError("the server tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def extra_keys_kept(document: dict) -> list[dict]:
    """The "kept" change of every x- key in `document`, in document order."""
    found = []

    def walk(value, path):
        if isinstance(value, dict):
            for key, child in value.items():
                child_path = f"{path}.{key}" if path else key
                if key.startswith("x-"):
                    found.append({"path": child_path, "action": "kept", "reason": KEPT})
                else:
                    walk(child, child_path)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, f"{path}[{index}]")

    walk(document, "")
    return found


def test_the_full_document_is_valid_json_resume_and_covers_every_field():
    schema = current_schema()
    assert schema_errors(FULL_DOCUMENT) == []
    assert set(FULL_DOCUMENT) == set(schema["properties"])
    for section, definition in schema["properties"].items():
        if definition["type"] == "array":
            present = set().union(*(item.keys() for item in FULL_DOCUMENT[section]))
            assert set(definition["items"]["properties"]) <= present, section
        elif definition["type"] == "object":
            assert set(definition["properties"]) <= set(FULL_DOCUMENT[section]), section
    basics = schema["properties"]["basics"]["properties"]
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
    # Only the image is left out; every key of the sender's own is kept, and said to be.
    image_removed = {
        "path": "basics.image",
        "action": "removed",
        "from": FULL_DOCUMENT["basics"]["image"],
        "reason": IMAGE_REMOVED,
    }
    kept = extra_keys_kept(FULL_DOCUMENT)
    in_basics = [change for change in kept if change["path"].startswith("basics.")]
    assert body["content_changes"] == [*in_basics, image_removed, *kept[len(in_basics) :]]

    exported = api.get(export(body["id"]))

    assert exported.status_code == 200
    assert exported["Content-Type"] == "application/json"
    assert exported["Content-Disposition"] == 'attachment; filename="ada-lovelace-analyst.json"'
    # Without a résumé image there is no basics.image; everything else is as imported, in
    # the order it was sent.
    assert json.dumps(exported.json()) == json.dumps(STORED_DOCUMENT)
    assert json.dumps(Resume.objects.get().content) == json.dumps(STORED_DOCUMENT)
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
    upload = SimpleUploadedFile("cv.json", b'{"work": [{"startDate": "Spring 2020"}]}')

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
    assert [(c["path"], c["action"], c["from"]) for c in response.json()["content_changes"]] == [
        ("basics.image", "removed", "http://169.254.169.254/latest/meta-data/")
    ]
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
        ("[1, 2]", "Expected a JSON Resume document (an object), not a list."),
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
    assert response.json() == {"content": {"work[2].startDate": [DATE_MESSAGE]}}
    resume = Resume.objects.get()
    assert (resume.title, resume.content) == ("Ada Lovelace – Analyst", STORED_DOCUMENT)


def test_content_may_not_be_null(api):
    resume_id = api.post(LIST, {"title": "Ada"}, format="json").json()["id"]

    response = api.patch(detail(resume_id), {"content": None}, format="json")

    assert response.status_code == 400
    assert response.json() == {"content": {"non_field_errors": ["This field may not be null."]}}


def long(n: int) -> str:
    return "x" * n


INVALID = [
    # dates: only what is clearly one date is read as one
    ({"work": [{"startDate": "2020-13"}]}, "work[0].startDate", DATE_MESSAGE),
    ({"work": [{}, {}, {"endDate": "2021-02-29"}]}, "work[2].endDate", DATE_MESSAGE),
    ({"education": [{"endDate": "20-01"}]}, "education[0].endDate", DATE_MESSAGE),
    ({"awards": [{"date": "0999"}]}, "awards[0].date", DATE_MESSAGE),
    ({"projects": [{"startDate": "Present"}]}, "projects[0].startDate", DATE_MESSAGE),
    ({"work": [{"startDate": "Spring 2020"}]}, "work[0].startDate", DATE_MESSAGE),
    ({"volunteer": [{"startDate": "03/04/2020"}]}, "volunteer[0].startDate", DATE_MESSAGE),
    ({"certificates": [{"date": "2020-02-30"}]}, "certificates[0].date", DATE_MESSAGE),
    (
        {"publications": [{"releaseDate": "31/02/2020"}]},
        "publications[0].releaseDate",
        DATE_MESSAGE,
    ),
    # URLs
    ({"basics": {"url": "not a url"}}, "basics.url", URL_MESSAGE),
    ({"projects": [{"url": "https://example.com/100%"}]}, "projects[0].url", URL_MESSAGE),
    ({"basics": {"profiles": [{"url": "ma page"}]}}, "basics.profiles[0].url", URL_MESSAGE),
    # e-mail
    ({"basics": {"email": "ada-at-example.com"}}, "basics.email", EMAIL_MESSAGE),
    ({"basics": {"email": "mailto:ada@"}}, "basics.email", EMAIL_MESSAGE),
    # kinds no reading maps
    ({"basics": []}, "basics", "Expected an object, not a list."),
    ({"basics": {"location": ["London"]}}, "basics.location", "Expected an object, not a list."),
    ({"meta": "v1"}, "meta", "Expected an object, not a string."),
    ({"work": 5}, "work", "Expected a list, not a number."),
    ({"work": [["Engine"]]}, "work[0]", "Expected an object, not a list."),
    (
        {"skills": [{"keywords": ["Logic", {"x": 1}]}]},
        "skills[0].keywords[1]",
        "Expected a string, not an object.",
    ),
    # errors name the value as sent: after a null left out, under a former name
    ({"work": [None, {"startDate": "2020-13"}]}, "work[1].startDate", DATE_MESSAGE),
    ({"work": [{"website": "not a url"}]}, "work[0].website", URL_MESSAGE),
    # sizes
    (
        {"work": [{}] * (bounds.MAX_ITEMS + 1)},
        "work",
        f"Ensure this field has no more than {bounds.MAX_ITEMS} elements.",
    ),
    (
        {"basics": {"profiles": [{}] * (bounds.MAX_ITEMS + 1)}},
        "basics.profiles",
        f"Ensure this field has no more than {bounds.MAX_ITEMS} elements.",
    ),
    (
        {"projects": [{"roles": ["r"] * (bounds.MAX_STRINGS + 1)}]},
        "projects[0].roles",
        f"Ensure this field has no more than {bounds.MAX_STRINGS} elements.",
    ),
    (
        {"basics": {"name": long(bounds.MAX_SHORT_TEXT + 1)}},
        "basics.name",
        f"Ensure this field has no more than {bounds.MAX_SHORT_TEXT} characters.",
    ),
    (
        {"references": [{"reference": long(bounds.MAX_LONG_TEXT + 1)}]},
        "references[0].reference",
        f"Ensure this field has no more than {bounds.MAX_LONG_TEXT} characters.",
    ),
    (
        {"work": [{"highlights": [long(bounds.MAX_LONG_TEXT + 1)]}]},
        "work[0].highlights[0]",
        f"Ensure this field has no more than {bounds.MAX_LONG_TEXT} characters.",
    ),
    (
        {"basics": {"url": "https://example.com/" + long(bounds.MAX_URL_LENGTH)}},
        "basics.url",
        f"Ensure this field has no more than {bounds.MAX_URL_LENGTH} characters.",
    ),
    (
        {"basics": {"x-notes": [long(bounds.MAX_LONG_TEXT)] * 60}},
        "non_field_errors",
        "Document too large",
    ),
    (
        {"basics": {"x-notes": long(bounds.MAX_LONG_TEXT + 1)}},
        "basics.x-notes",
        f"Ensure this field has no more than {bounds.MAX_LONG_TEXT} characters.",
    ),
    (
        {"basics": {long(bounds.MAX_SHORT_TEXT + 1): "x"}},
        "basics",
        f"A key is longer than {bounds.MAX_SHORT_TEXT} characters.",
    ),
    (
        {"basics": {"x-counts": [0] * bounds.MAX_VALUES}},
        "non_field_errors",
        f"Too many values: at most {bounds.MAX_VALUES}",
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
    (
        [FULL_DOCUMENT],
        "non_field_errors",
        "Expected a JSON Resume document (an object), not a list.",
    ),
    ("text", "non_field_errors", "Expected a JSON Resume document (an object), not text."),
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
    # The document as the body: a problem of the document as a whole, as with a file.
    assert list(imported.json()) == ["non_field_errors"]
    assert imported.json()["non_field_errors"][0].startswith(
        f"Not valid JSON: {reason}: line 1 column "
    )
    assert list(patched.json()) == ["detail"]
    assert patched.json()["detail"].startswith(f"JSON parse error - {reason}: line 1 column ")
    assert Resume.objects.get().content == {}
    assert Resume.objects.count() == 1


def test_every_error_is_reported_at_once(api):
    document = {
        "basics": {"email": "nope", "url": "no pe"},
        "work": [{"startDate": "2020-13"}, ["Engine"]],
        "certificates": [{"date": "2020-02-30"}],
        "hobbies": [],
    }

    response = api.post(IMPORT, document, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {
        "basics.email",
        "basics.url",
        "work[0].startDate",
        "work[1]",
        "certificates[0].date",
    }
    assert not Resume.objects.exists()


@pytest.mark.parametrize(
    ("section", "field", "value"),
    [
        ("work", "startDate", "2024"),
        ("work", "startDate", "2024-02"),
        ("work", "startDate", "2024-02-29"),
        ("certificates", "date", "2024-02-29"),
        ("certificates", "date", "2019-06"),
        ("basics", "url", "ftp://files.example.com/cv.pdf"),
        ("basics", "url", "https://[2001:db8::1]:8443/a?b=c#d"),
        ("basics", "url", "https://example.com/caf%C3%A9"),
        ("basics", "profiles", [{"network": "Skype", "url": "skype:ada?call"}]),
        ("basics", "profiles", [{"network": "Skype", "url": "@ada"}]),
        ("basics", "name", ""),
        ("basics", "summary", "  spaces and\ttabs are kept  "),
        ("basics", "name", "N" * bounds.MAX_SHORT_TEXT),
        ("$schema", None, "foo-bar-baz"),
    ],
)
def test_accepts_valid_values_exactly_as_sent(api, section, field, value):
    item = {field: value}
    if section == "$schema":
        document = {section: value}
    else:
        document = {section: item if section == "basics" else [item]}

    response = api.post(IMPORT, document, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["content"] == document
    assert response.json()["content_changes"] == []
    assert schema_errors(document) == []


LENIENT_DOCUMENT = {
    "basics": {
        "name": "Ada Lovelace",
        "email": " mailto:ada@example.com",
        "url": "",
        "phone": 442079460000,
        "location": "London",
        "profiles": [{"network": "GitHub", "url": "github.com/ada"}],
    },
    "work": [
        {
            "company": "Analytical Engine",
            "startDate": "07/1842",
            "endDate": "Present",
            "url": "https://bücher.example/straße",
            "location": {"city": "London"},
        }
    ],
    "skills": ["Mathematics"],
    "hobbies": ["poetical science"],
}


def test_import_reads_what_the_tooling_writes_and_lists_every_change(api):
    response = api.post(IMPORT, LENIENT_DOCUMENT, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    stored = {
        "basics": {
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "phone": "442079460000",
            "location": {"address": "London"},
            "profiles": [{"network": "GitHub", "url": "https://github.com/ada"}],
        },
        "work": [
            {
                "name": "Analytical Engine",
                "startDate": "1842-07",
                "url": "https://xn--bcher-kva.example/stra%C3%9Fe",
                "x-location": {"city": "London"},
            }
        ],
        "skills": [{"name": "Mathematics"}],
        "hobbies": ["poetical science"],
    }
    assert json.dumps(body["content"]) == json.dumps(stored)
    assert json.dumps(Resume.objects.get().content) == json.dumps(stored)
    assert [
        (c["path"], c["action"], c.get("from"), c.get("to")) for c in body["content_changes"]
    ] == [
        ("basics.email", "rewritten", " mailto:ada@example.com", "ada@example.com"),
        ("basics.url", "removed", "", None),
        ("basics.phone", "rewritten", 442079460000, "442079460000"),
        ("basics.location", "rewritten", "London", {"address": "London"}),
        ("basics.profiles[0].url", "rewritten", "github.com/ada", "https://github.com/ada"),
        ("work[0].company", "renamed", "company", "work[0].name"),
        ("work[0].startDate", "rewritten", "07/1842", "1842-07"),
        ("work[0].endDate", "removed", "Present", None),
        (
            "work[0].url",
            "rewritten",
            "https://bücher.example/straße",
            "https://xn--bcher-kva.example/stra%C3%9Fe",
        ),
        ("work[0].location", "moved", None, "work[0].x-location"),
        ("skills[0]", "rewritten", "Mathematics", {"name": "Mathematics"}),
        ("hobbies", "kept", None, None),
    ]
    assert all(change["reason"] for change in body["content_changes"])
    assert schema_errors(api.get(export(body["id"])).json()) == []


def test_importing_the_same_file_twice_gives_the_same_content(api):
    first = api.post(IMPORT, LENIENT_DOCUMENT, format="json").json()
    second = api.post(IMPORT, LENIENT_DOCUMENT, format="json").json()
    again = api.post(IMPORT, first["content"], format="json").json()

    assert json.dumps(first["content"]) == json.dumps(second["content"])
    assert first["content_changes"] == second["content_changes"]
    # The stored document reads as itself: only its own keys are listed again.
    assert json.dumps(again["content"]) == json.dumps(first["content"])
    assert {change["action"] for change in again["content_changes"]} == {"kept"}


def test_a_body_with_a_byte_order_mark_imports_like_the_file(api):
    text = "\ufeff" + json.dumps(LENIENT_DOCUMENT, ensure_ascii=False)
    as_body = api.post(IMPORT, text.encode(), content_type="application/json")
    upload = SimpleUploadedFile("cv.json", text.encode(), content_type="application/json")
    as_file = api.post(IMPORT, {"file": upload}, format="multipart")

    assert as_body.status_code == as_file.status_code == 201, as_body.json()
    assert as_body.json()["content"] == as_file.json()["content"]
    assert as_body.json()["content_changes"] == as_file.json()["content_changes"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{[];}", "Not valid JSON: unexpected character"),
        (b"\xff\xfe{}", "The body is not utf-8 text."),
    ],
)
def test_a_body_that_is_not_json_is_refused_like_the_file(api, body, message):
    upload = SimpleUploadedFile("cv.json", body, content_type="application/json")

    as_body = api.post(IMPORT, body, content_type="application/json")
    as_file = api.post(IMPORT, {"file": upload}, format="multipart")

    assert as_body.status_code == as_file.status_code == 400
    assert list(as_body.json()) == ["non_field_errors"]
    assert as_body.json()["non_field_errors"][0].startswith(message)
    assert list(as_file.json()) == ["file"]
    assert not Resume.objects.exists()


def test_writes_that_send_content_list_its_changes(api):
    created = api.post(LIST, {"title": "Ada"}, format="json").json()
    assert "content_changes" not in created
    assert "content_changes" not in api.get(detail(created["id"])).json()

    patched = api.patch(
        detail(created["id"]),
        {"content": json.dumps({"work": [{"endDate": "now", "name": "Engine"}]})},
        format="multipart",
    )
    titled = api.patch(detail(created["id"]), {"title": "Ada L."}, format="json")

    assert patched.status_code == 200, patched.json()
    assert patched.json()["content"] == {"work": [{"name": "Engine"}]}
    assert [(c["path"], c["action"]) for c in patched.json()["content_changes"]] == [
        ("work[0].endDate", "removed")
    ]
    assert "content_changes" not in titled.json()
    assert "content_changes" not in api.get(LIST).json()["results"][0]


def test_limits_allow_a_document_at_the_bounds(api):
    document = {
        "work": [{"highlights": ["h"] * bounds.MAX_STRINGS}] * bounds.MAX_ITEMS,
        "basics": {"x": [[[[[[[["deep enough"]]]]]]]]},
    }

    assert api.post(IMPORT, document, format="json").status_code == 201


@pytest.mark.parametrize(
    ("path", "field", "message"),
    [
        (IMPORT, "non_field_errors", "Not valid JSON: depth limit exceeded"),
        (LIST, "detail", "JSON parse error - depth limit exceeded"),
    ],
)
def test_a_json_body_nested_too_deep_to_parse_is_a_400(api, path, field, message):
    response = api.post(path, "[" * 100_000 + "]" * 100_000, content_type="application/json")

    assert response.status_code == 400
    errors = response.json()[field]
    assert (errors[0] if isinstance(errors, list) else errors).startswith(message)


def test_deeply_nested_json_text_is_a_400(api):
    resume_id = api.post(LIST, {"title": "Ada"}, format="json").json()["id"]

    response = api.patch(
        detail(resume_id), {"content": "[" * 100_000 + "]" * 100_000}, format="multipart"
    )

    assert response.status_code == 400
    assert list(response.json()["content"]) == ["non_field_errors"]


def test_a_key_of_its_own_named_with_empty_text_is_kept_and_listed(api):
    response = api.post(IMPORT, {"": 1, "basics": {"": "x"}}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["content"] == {"": 1, "basics": {"": "x"}}
    assert [c["path"] for c in response.json()["content_changes"]] == ["", "basics."]
