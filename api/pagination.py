from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
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
