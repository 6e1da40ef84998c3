"""api.query_parameters: a query serializer's answer, remembered per query string."""

import pytest
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api import query_parameters
from api.query_parameters import validated_query


class PageQuery(serializers.Serializer):
    page = serializers.IntegerField(required=False, min_value=1)
    word = serializers.CharField(required=False, max_length=5)


class OtherQuery(serializers.Serializer):
    page = serializers.CharField(required=False)


def request_for(query: str) -> Request:
    return Request(APIRequestFactory().get(f"/anything/?{query}"))


@pytest.fixture(autouse=True)
def forgotten():
    query_parameters._validated.cache_clear()


@pytest.mark.parametrize(
    "query", ["", "page=3", "page=3&word=caf%C3%A9", "word=a+b", "page=1&page=2"]
)
def test_it_answers_what_the_serializer_answers(query):
    serializer = PageQuery(data=request_for(query).query_params)
    assert serializer.is_valid()

    assert validated_query(PageQuery, request_for(query)) == serializer.validated_data
    assert validated_query(PageQuery, request_for(query)) == serializer.validated_data


@pytest.mark.parametrize("query", ["page=0", "page=x", "word=toolong", "page=0&word=toolong"])
def test_invalid_parameters_are_its_validation_error_every_time(query):
    serializer = PageQuery(data=request_for(query).query_params)
    assert not serializer.is_valid()

    for _ in range(2):
        with pytest.raises(serializers.ValidationError) as raised:
            validated_query(PageQuery, request_for(query))
        assert raised.value.detail == serializer.errors
    assert query_parameters._validated.cache_info().currsize == 0  # errors are not kept


def test_an_answer_is_remembered_per_serializer_and_query_string(monkeypatch):
    validations = []
    is_valid = serializers.Serializer.is_valid
    monkeypatch.setattr(
        serializers.Serializer,
        "is_valid",
        lambda self, **kwargs: validations.append(type(self)) or is_valid(self, **kwargs),
    )

    for _ in range(3):
        assert validated_query(PageQuery, request_for("page=2")) == {"page": 2}
        assert validated_query(OtherQuery, request_for("page=2")) == {"page": "2"}
    validated_query(PageQuery, request_for("page=3"))

    assert validations == [PageQuery, OtherQuery, PageQuery]


def test_the_answer_given_is_a_copy():
    validated_query(PageQuery, request_for("page=2"))["page"] = 99

    assert validated_query(PageQuery, request_for("page=2")) == {"page": 2}


def test_it_remembers_a_bounded_number_of_query_strings():
    for page in range(1, query_parameters.MAX_REMEMBERED_QUERIES + 50):
        validated_query(PageQuery, request_for(f"page={page}"))

    info = query_parameters._validated.cache_info()
    assert info.currsize == query_parameters.MAX_REMEMBERED_QUERIES
