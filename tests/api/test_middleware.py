"""Request logs (api/logging.py, api/middleware.py): one JSON line per request, with its id
and without secrets."""

import json
import logging
import logging.config

import pytest

from api.logging import RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_logs(settings):
    """Every log line the project writes during the test, formatted as in production."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    json_format = dict(settings.LOGGING["formatters"]["json"])  # the configurator pops "()"
    handler.setFormatter(logging.config.DictConfigurator({}).configure_formatter(json_format))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous_level = root.level
    root.setLevel(logging.DEBUG)
    yield lines
    root.removeHandler(handler)
    root.setLevel(previous_level)


def test_logs_hold_no_password_or_token(anon, json_logs):
    secret_password = "Sup3r-secret-passw0rd-xyz"
    anon.post(
        "/api/auth/register/",
        {"username": "carol", "email": "carol@example.com", "password": secret_password},
        format="json",
    )
    tokens = anon.post(
        "/api/auth/token/", {"username": "carol", "password": secret_password}, format="json"
    ).json()
    refreshed = anon.post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    anon.post(
        "/api/auth/logout/",
        {"refresh": refreshed.json()["refresh"]},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {tokens['access']}",
    )
    anon.post("/api/auth/token/", {"username": "carol", "password": "wrong-" + secret_password})

    text = "\n".join(json_logs)
    request_lines = [json.loads(line) for line in json_logs if '"logger": "request"' in line]
    assert len(request_lines) == 5
    secrets = (secret_password, tokens["access"], tokens["refresh"], refreshed.json()["access"])
    for secret in secrets:
        assert secret not in text
    assert "Bearer" not in text


def test_each_request_gets_an_id_in_the_header_and_the_log(api, json_logs):
    response = api.get("/api/resumes/?search=x")

    request_id = response["X-Request-ID"]
    (line,) = [json.loads(x) for x in json_logs if '"logger": "request"' in x]
    assert list(line)[:5] == ["time", "level", "logger", "request_id", "message"]
    assert line["request_id"] == request_id
    assert line["method"] == "GET"
    assert line["path"] == "/api/resumes/"  # no query string
    assert line["status"] == 200
    assert line["user_id"] is not None
    assert line["duration_ms"] >= 0


def test_a_sane_client_request_id_is_kept_and_a_hostile_one_replaced(api):
    kept = api.get("/api/resumes/", HTTP_X_REQUEST_ID="frontend-1234abcd")["X-Request-ID"]
    replaced = api.get("/api/resumes/", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]

    assert kept == "frontend-1234abcd"
    assert replaced != "bad id\nwith newline" and len(replaced) == 32


def test_an_api_request_makes_no_message_storage(api, user):
    from django.utils.functional import empty

    response = api.get("/api/resumes/")

    assert response.status_code == 200
    assert response.wsgi_request._messages._wrapped is empty
    assert "messages" not in response.cookies
