"""Hostile values through every documented operation: each string field of each body (JSON
and multipart), each query and path parameter, and the headers the API reads. Every answer
is a 4xx JSON error (400 naming the field where a value is refused) and nothing is stored.

The operations and their fields come from the live /swagger.json, so a new operation or
field is covered without changing this file.
"""

import json
from collections.abc import Iterator
from functools import reduce
from operator import getitem
from typing import Any
from urllib.parse import quote

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from profiles.models import Profile
from resumes.models import Resume
from tests.support.faults import database_for_servers, database_url, gunicorn
from uploads.models import StagedUpload
from users.models import User

pytestmark = pytest.mark.django_db

# JSON tokens, spliced into bodies as they are: what json.dumps would never write. Each with
# the reason orjson gives for refusing the body, or None for a value it reads and the API's
# own check refuses, naming the value's field or path.
HOSTILE_JSON = {
    "lone high surrogate": ('"\\ud800"', "no low surrogate in string"),
    "lone low surrogate": ('"x\\udfffy"', "invalid high surrogate in string"),
    "NUL": ('"a\\u0000b"', None),
    "control character": ('"a\\u0001b"', None),
    "escape sequence": ('"\\u001b[31mred"', None),
    "DEL": ('"\\u007f"', None),
    "NaN": ("NaN", "unexpected character"),
    "Infinity": ("Infinity", "unexpected character"),
    "-Infinity": ("-Infinity", "no digit after sign"),
    "1e400 (inf)": ("1e400", "number is infinity when parsed as double"),
    "20-digit integer": ("9" * 20, None),
    "4000-digit integer": ("9" * 4000, "number is infinity when parsed as double"),
    "5000-digit integer": ("-" + "9" * 5000, "number is infinity when parsed as double"),
}
# Text a form field can carry (a form has no surrogates: its bytes are decoded as UTF-8).
HOSTILE_FORM = {"NUL": "a\x00b", "control character": "a\x01b", "DEL": "\x7f"}
HOSTILE_QUERY = {
    "NUL": "a%00b",
    "control character": "%01",
    "escape sequence": "%1B%5B31m",
    "surrogate as UTF-8 bytes": "%ED%A0%80",
    "invalid UTF-8": "%FF%FE",
    "NaN": "NaN",
    "1e400": "1e400",
    "huge integer": "9" * 5000,
    "negative": "-1",
    "very long": "a" * 10_000,
}
REFUSED_QUERY = {"NUL", "control character", "escape sequence"}


@pytest.fixture
def document(api: APIClient) -> dict:
    return api.get("/swagger.json").json()


@pytest.fixture
def resume(user: User) -> Resume:
    return Resume.objects.create(owner=user, title="mine", is_public=True)


def definition(document: dict, ref: str) -> dict:
    return document["definitions"][ref.rsplit("/", 1)[1]]


def operations(document: dict) -> Iterator[tuple[str, str, dict]]:
    """(method, path, operation), the operation with its path's parameters too."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
                yield method, document["basePath"] + path, {**operation, "parameters": parameters}


def url(path: str, resume: Resume) -> str:
    # An export id: any number will do (an export of nobody's is a 404 like a missing one).
    filled = path.replace("{resume_id}", str(resume.id)).replace("{export_id}", str(resume.id))
    return filled.replace("{share_slug}", resume.share_slug)


def string_fields(document: dict, operation: dict) -> dict[str, str]:
    """{field: "body" | "form"} for every writable string field of the operation."""
    fields = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "formData" and parameter["type"] == "string":
            fields[parameter["name"]] = "form"
        elif parameter["in"] == "body":
            schema = parameter["schema"]  # inline (a partial update) or a reference
            if "$ref" in schema:
                schema = definition(document, schema["$ref"])
            for name, field in schema["properties"].items():
                if field.get("type") == "string" and not field.get("readOnly"):
                    fields[name] = "body"
    return fields


def stored_state(bucket: Any) -> dict:
    return {
        "users": list(User.objects.order_by("pk").values()),
        "profiles": list(Profile.objects.order_by("pk").values()),
        "resumes": list(Resume.objects.order_by("pk").values()),
        "uploads": list(StagedUpload.objects.order_by("pk").values()),
        "objects": bucket.object_keys(),
    }


def send(client: APIClient, method: str, path: str, **kwargs: Any) -> Any:
    return getattr(client, method)(path, **kwargs)


def test_every_operation_has_string_fields_to_try(document):
    """The document lists what the tests below go through: it must not come out empty."""
    with_fields = [path for _, path, op in operations(document) if string_fields(document, op)]
    assert len(list(operations(document))) >= 20
    assert len(with_fields) >= 10


def refused(response: Any, name: str, parse_error: str | None) -> bool:
    """A 400 naming the field `name`, or for a body that is not JSON, orjson's reason."""
    if response.status_code != 400:
        return False
    body = response.json()
    if parse_error is None:
        return name in body
    if "detail" in body:
        return body["detail"].startswith(f"JSON parse error - {parse_error}")
    # A JSON Resume document as the body: a problem of the document as a whole.
    return body["non_field_errors"][0].startswith(f"Not valid JSON: {parse_error}")


@pytest.mark.parametrize("kind", HOSTILE_JSON)
def test_hostile_json_values_in_every_string_field_are_refused_by_name(
    api, document, resume, bucket, kind
):
    token, parse_error = HOSTILE_JSON[kind]
    before, failures, tried = stored_state(bucket), [], 0
    for method, path, operation in operations(document):
        for field in string_fields(document, operation):
            # Every operation with a body takes JSON (form operations too).
            body = f'{{"{field}": {token}}}'
            response = send(
                api, method, url(path, resume), data=body, content_type="application/json"
            )
            tried += 1
            if not refused(response, field, parse_error):
                failures.append((method, path, field, response.status_code, response.content))
    assert failures == []
    assert tried >= 25
    assert stored_state(bucket) == before


# Where each route of the test below reports content that is not JSON.
PARSE_ERROR_AT = {
    "create": ["detail"],
    "update": ["detail"],
    "create (form)": ["content", "non_field_errors", 0],
    "update (form)": ["content", "non_field_errors", 0],
    # A document as the body fails as the same document as a file does.
    "import": ["non_field_errors", 0],
    "import (file)": ["file", 0],
}


@pytest.mark.parametrize("kind", HOSTILE_JSON)
@pytest.mark.parametrize(
    ("template", "path"),
    [
        ('{{"basics": {{"name": {}}}}}', "basics.name"),
        ('{{"basics": {{"x-mine": {}}}}}', "basics.x-mine"),
        ('{{"work": [{{"highlights": ["ok", {}]}}]}}', "work[0].highlights[1]"),
        ('{{"meta": {{"x": [[{{"y": {}}}]]}}}}', "meta.x[0][0].y"),
    ],
)
def test_hostile_values_in_resume_content_are_refused_by_path_on_every_route(
    api, resume, bucket, kind, template, path
):
    token, parse_error = HOSTILE_JSON[kind]
    document = template.format(token)
    before = stored_state(bucket)
    responses = {
        "create": api.post(
            "/api/resumes/",
            f'{{"title": "t", "content": {document}}}',
            content_type="application/json",
        ),
        "update": api.patch(
            f"/api/resumes/{resume.id}/",
            f'{{"content": {document}}}',
            content_type="application/json",
        ),
        "create (form)": api.post(
            "/api/resumes/", {"title": "t", "content": document}, format="multipart"
        ),
        "update (form)": api.patch(
            f"/api/resumes/{resume.id}/", {"content": document}, format="multipart"
        ),
        "import": api.post("/api/resumes/import/", document, content_type="application/json"),
        "import (file)": api.post(
            "/api/resumes/import/",
            {
                "file": SimpleUploadedFile(
                    "r.json", document.encode(), content_type="application/json"
                )
            },
            format="multipart",
        ),
    }

    for route, response in responses.items():
        assert response.status_code == 400, (route, response.content)
        errors = response.json()
        if parse_error:
            assert list(errors) == PARSE_ERROR_AT[route][:1], (route, errors)
            assert parse_error in reduce(getitem, PARSE_ERROR_AT[route], errors), (route, errors)
            continue
        errors = errors if route.startswith("import") else errors["content"]
        assert list(errors) == [path], (route, errors)
    assert stored_state(bucket) == before


@pytest.mark.parametrize("key", ['"a\\u0000"', '"\\u0001"'])
def test_hostile_keys_in_resume_content_are_refused_naming_their_object(api, bucket, key):
    document = f'{{"basics": {{{key}: "x"}}}}'
    before = stored_state(bucket)

    created = api.post("/api/resumes/", {"title": "t", "content": document}, format="multipart")
    imported = api.post("/api/resumes/import/", document, content_type="application/json")

    assert created.status_code == imported.status_code == 400
    assert list(created.json()["content"]) == list(imported.json()) == ["basics"]
    assert imported.json()["basics"][0].startswith("A key: Contains ")
    assert stored_state(bucket) == before


def test_a_lone_surrogate_in_a_key_is_refused_as_not_json(api, bucket):
    document = '{"basics": {"\\ud800": "x"}}'
    before = stored_state(bucket)

    created = api.post("/api/resumes/", {"title": "t", "content": document}, format="multipart")
    imported = api.post("/api/resumes/import/", document, content_type="application/json")

    assert created.status_code == imported.status_code == 400
    assert created.json()["content"]["non_field_errors"][0].startswith(
        "Not valid JSON: no low surrogate in string"
    )
    assert imported.json()["non_field_errors"][0].startswith(
        "Not valid JSON: no low surrogate in string"
    )
    assert stored_state(bucket) == before


@pytest.mark.parametrize("kind", HOSTILE_FORM)
def test_hostile_text_in_every_form_field_is_refused_by_name(api, document, resume, bucket, kind):
    before, failures, tried = stored_state(bucket), [], 0
    for method, path, operation in operations(document):
        for field, where in string_fields(document, operation).items():
            if where != "form":
                continue
            for form in ("multipart", None):
                data = {field: HOSTILE_FORM[kind]}
                if form is None:  # application/x-www-form-urlencoded
                    kwargs = {
                        "data": f"{field}={quote(HOSTILE_FORM[kind])}",
                        "content_type": "application/x-www-form-urlencoded",
                    }
                else:
                    kwargs = {"data": data, "format": form}
                response = send(api, method, url(path, resume), **kwargs)
                tried += 1
                if not (response.status_code == 400 and field in response.json()):
                    failures.append((method, path, field, form, response.content))
    assert failures == []
    assert tried >= 20
    assert stored_state(bucket) == before


@pytest.mark.parametrize("kind", HOSTILE_QUERY)
def test_hostile_query_and_path_parameters_get_json_errors_or_answers(
    api, document, resume, bucket, kind
):
    before, failures = stored_state(bucket), []
    value = HOSTILE_QUERY[kind]
    for method, path, operation in operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                target = f"{url(path, resume)}?{parameter['name']}={value}"
            elif parameter["in"] == "path":
                target = path.replace(f"{{{parameter['name']}}}", value)
                target = url(target, resume)
            else:
                continue
            response = send(api, method, target)
            refused = kind in REFUSED_QUERY and parameter["in"] == "query"
            ok = (
                response.status_code == 400 and parameter["name"] in response.json()
                if refused
                else response.status_code < 500 and response["Content-Type"] == "application/json"
            )
            if not ok:
                failures.append((method, target[:80], response.status_code, response.content))
    assert failures == []
    assert stored_state(bucket) == before


def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {RefreshToken.for_user(user).access_token}"}


def signed_token(user_id: Any) -> str:
    token = AccessToken()
    token["user_id"] = user_id
    return str(token)


HOSTILE_HEADERS = {
    "Authorization: odd bytes": {"HTTP_AUTHORIZATION": "Bearer \xff\xfe\x00"},
    "Authorization: control characters": {"HTTP_AUTHORIZATION": "Bearer a\x01.b\x7f.c"},
    "Authorization: 10 000 characters": {"HTTP_AUTHORIZATION": "Bearer " + "a" * 10_000},
    "Authorization: three parts": {"HTTP_AUTHORIZATION": "Bearer x y z"},
    "Authorization: another scheme": {"HTTP_AUTHORIZATION": "Basic YTpi"},
    "Authorization: signed, user_id a string": {
        "HTTP_AUTHORIZATION": "Bearer " + signed_token("abc")
    },
    "Authorization: signed, user_id 30 digits": {
        "HTTP_AUTHORIZATION": "Bearer " + signed_token(10**30)
    },
    "Authorization: signed, user_id a list": {"HTTP_AUTHORIZATION": "Bearer " + signed_token([1])},
    "Authorization: signed, user_id null": {"HTTP_AUTHORIZATION": "Bearer " + signed_token(None)},
    "Authorization: signed, user_id a float": {"HTTP_AUTHORIZATION": "Bearer " + signed_token(1.5)},
    "Authorization: signed, user_id true": {"HTTP_AUTHORIZATION": "Bearer " + signed_token(True)},
    "Authorization: signed, no such user": {"HTTP_AUTHORIZATION": "Bearer " + signed_token(2**62)},
    # (NUL in a header never reaches Django: gunicorn refuses the request, RFC 9110 5.5.)
    "Content-Type: control character charset": {"CONTENT_TYPE": "application/json; charset=\x01"},
    "Content-Type: unknown charset": {"CONTENT_TYPE": "application/json; charset=klingon"},
    "Content-Type: odd boundary": {"CONTENT_TYPE": "multipart/form-data; boundary=\xff\x00"},
    "Content-Type: unknown type": {"CONTENT_TYPE": "text/x-\x01"},
    "Content-Length: not a number": {"CONTENT_LENGTH": "NaN"},
    "Content-Length: 30 digits": {"CONTENT_LENGTH": "9" * 30},
    "Accept: odd bytes": {"HTTP_ACCEPT": "\xff/\x00"},
    "Accept: q=NaN": {"HTTP_ACCEPT": "application/json; q=NaN"},
    "X-Request-ID: control characters": {"HTTP_X_REQUEST_ID": "abc\x00def\x01ghi"},
    "X-Forwarded-For: odd bytes": {"HTTP_X_FORWARDED_FOR": "\xff\x00, 1.2.3.4"},
    "X-Forwarded-For: 5 000 characters": {"HTTP_X_FORWARDED_FOR": "1." * 2_500},
    "Origin: odd bytes": {"HTTP_ORIGIN": "http://\xff\x00"},
    "Host: odd bytes": {"HTTP_HOST": "\xff\x00"},
    "Transfer-Encoding: chunked": {"HTTP_TRANSFER_ENCODING": "chunked"},
}


@pytest.mark.parametrize("name", HOSTILE_HEADERS)
def test_hostile_headers_on_every_operation_never_answer_5xx(
    api, anon, document, resume, bucket, settings, name
):
    """With the caller's valid token, except for the Authorization cases (which replace it):
    every answer is JSON (or an empty 204) and no 5xx; a hostile token is a 401."""
    hostile_token = name.startswith("Authorization")
    client = anon if hostile_token else api
    if "X-Forwarded-For" in name:
        # With no trusted proxy (the default, NUM_PROXIES=0) the header is not read.
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    before, failures = stored_state(bucket), []
    for method, path, operation in operations(document):
        body = (
            {}
            if method in ("get", "delete")
            else {"data": b"{}", "content_type": "application/json"}
        )
        response = send(client, method, url(path, resume), **body, **HOSTILE_HEADERS[name])
        json_or_empty = (
            response.status_code == 204 or response["Content-Type"] == "application/json"
        )
        # The one operation whose answer is a document, not data (errors are JSON).
        html = path.endswith("/preview/") and response["Content-Type"].startswith("text/html")
        if response.status_code >= 500 or not (json_or_empty or html):
            failures.append((method, path, response.status_code, response.content[:200]))
        # Operations documented without security take no token.
        public = operation.get("security") == [] or path.startswith("/api/public/")
        if hostile_token and not public and response.status_code != 401:
            failures.append((method, path, "not 401", response.status_code))
    assert failures == []
    if hostile_token:  # the others may, with a valid token, delete or share the résumé
        assert stored_state(bucket) == before


def test_head_answers_like_get_without_a_body(api, anon, resume):
    for client, path in [
        (anon, f"/api/public/resumes/{resume.share_slug}/"),
        (api, "/api/resumes/"),
        (api, f"/api/resumes/{resume.id}/"),
        (api, f"/api/resumes/{resume.id}/export/"),
        (api, "/api/profiles/me/"),
        (api, "/api/auth/me/"),
        (anon, "/api/resumes/"),
        (anon, "/api/public/resumes/unknown/"),
    ]:
        get, head = client.get(path), client.head(path)

        assert head.status_code == get.status_code, path
        assert head.content == b"", path
        assert head["Content-Type"] == get["Content-Type"], path
        assert head["Content-Length"] == str(len(get.content)), path


def test_head_adds_no_operation_to_the_document(document):
    methods = {method for method, _, _ in operations(document)}
    assert methods == {"get", "post", "put", "patch", "delete"}


def test_summary_and_bio_are_bounded(api, resume, bucket):
    before = stored_state(bucket)
    long_text = "word " * 1_001  # 5 005 characters

    responses = {
        "summary": api.post("/api/resumes/", {"title": "t", "summary": long_text}, format="json"),
        "summary ": api.patch(f"/api/resumes/{resume.id}/", {"summary": long_text}, format="json"),
        "bio": api.patch("/api/profiles/me/", {"bio": long_text}, format="json"),
    }

    for field, response in responses.items():
        assert response.status_code == 400
        assert response.json() == {
            field.strip(): ["Ensure this field has no more than 5000 characters."]
        }
    assert stored_state(bucket) == before
    assert api.patch("/api/profiles/me/", {"bio": "word " * 999}, format="json").status_code == 200


def test_a_body_of_many_bad_values_names_a_bounded_number_of_them(api):
    body = json.dumps({"title": "t", "content": {"basics": {f"x{i}": "\x01" for i in range(500)}}})

    response = api.post("/api/resumes/", body, content_type="application/json")

    assert response.status_code == 400
    assert len(response.json()["content"]) == 20


@pytest.mark.django_db(transaction=True)
def test_a_chunked_body_gets_411_json_through_a_real_server(user, tmp_path, settings):
    """A chunked body has no Content-Length, and Django read it as empty: the request went
    on without its data. The test client cannot send one: gunicorn receives it here."""
    with database_for_servers(tmp_path) as database:
        env = {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": settings.SECRET_KEY,  # the tests' tokens are signed with it
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": database_url(database),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "LOG_LEVEL": "WARNING",
        }
        with gunicorn(env, tmp_path / "gunicorn.log") as url:
            response = requests.post(
                f"{url}/api/resumes/",
                data=iter([b'{"title": ', b'"sent in chunks"}']),  # requests sends it chunked
                headers={"Content-Type": "application/json", **bearer(user)},
                timeout=30,
            )

        assert response.request.headers["Transfer-Encoding"] == "chunked"
        assert response.status_code == 411
        assert response.headers["Content-Type"] == "application/json"
        assert "Content-Length" in response.json()["detail"]
        assert not Resume.objects.exists()
