from collections.abc import Iterator
from typing import Any

from django.core.paginator import Page, Paginator
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination


class ListedPage(Page):
    """Django's Page, iterated as its rows: Sequence's iteration (what DRF's list(page)
    takes) indexes the page once per row, each a check and a call."""

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)


class ListedPaginator(Paginator):
    def _get_page(self, *args: Any, **kwargs: Any) -> ListedPage:
        return ListedPage(*args, **kwargs)


class StandardPagination(PageNumberPagination):
    django_paginator_class = ListedPaginator
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def page_serializer(item_serializer: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """A serializer describing one page of `StandardPagination`, for the API docs."""
    name = item_serializer.__name__.removesuffix("Serializer") + "Page"
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item_serializer(many=True),
            "Meta": type("Meta", (), {"ref_name": name}),
        },
    )
