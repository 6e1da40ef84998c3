"""The API's JSON renderer writes what DRF's JSONRenderer writes, byte for byte."""

import datetime
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from api.renderers import JSONRenderer

NOW = datetime.datetime(2026, 11, 28, 18, 5, 39, 123456, tzinfo=datetime.UTC)

PAYLOADS = [
    {"id": 1, "title": "Ingénieure – 東京 😀", "ok": True, "none": None, "half": 0.5},
    {"separators": "a\u2028b\u2029c", "quote": 'say "hi"\\ \n\t', "control": "\x01"},
    {"punctuation": "“quoted” – dash — … €", "among it": "“a\u2028b” – \u2029\u2027\u202a"},
    {
        "utc": NOW,
        "paris": NOW.astimezone(ZoneInfo("Europe/Paris")),
        "naive": NOW.replace(tzinfo=None),
    },
    {"whole second": NOW.replace(microsecond=0), "date": NOW.date(), "time": datetime.time(9, 30)},
    {"decimal": Decimal("12.50"), "uuid": uuid.UUID(int=7), "lazy": gettext_lazy("Not found.")},
    {"duration": datetime.timedelta(minutes=90), "bytes": b"raw", "tuple": (1, "two")},
    ReturnDict(
        {"results": ReturnList([{"n": n} for n in range(3)], serializer=None)}, serializer=None
    ),
    [{"deep": [[[[{"x": [1, -2, 3.25, 10**18]}]]]]}],
    {"big integer": 2**70},  # beyond orjson: DRF renders it
    {1: "an integer key", None: "a null key"},  # likewise
    "just a string",
    [],
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_the_output_is_drfs(payload):
    assert JSONRenderer().render(payload) == renderers.JSONRenderer().render(payload)


@pytest.mark.parametrize("accept", ["application/json; indent=4", "application/json; indent=0"])
def test_indented_output_is_drfs(accept):
    payload = PAYLOADS[0]
    ours = JSONRenderer().render(payload, accept, {})
    assert ours == renderers.JSONRenderer().render(payload, accept, {})


def test_none_renders_nothing_and_errors_are_drfs():
    assert JSONRenderer().render(None) == b""
    for payload in ({"object": object()}, {"items": {object()}}):
        with pytest.raises(TypeError):
            renderers.JSONRenderer().render(payload)
        with pytest.raises(TypeError):
            JSONRenderer().render(payload)


def test_the_api_answers_with_it(api):
    response = api.get("/api/auth/me/")
    assert type(response.accepted_renderer) is JSONRenderer
    assert response.content == renderers.JSONRenderer().render(response.data)
