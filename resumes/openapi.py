"""OpenAPI (drf-yasg) pieces for résumé content."""

from typing import Any

from drf_yasg import openapi
from drf_yasg.inspectors import FieldInspector, NotHandled
from rest_framework import serializers

from resumes.json_resume import JSONResumeSerializer


class JSONResumeFormFieldInspector(FieldInspector):
    """In a multipart form the JSON Resume document is one text field holding JSON.

    drf-yasg cannot express a nested serializer as a form parameter; everywhere else
    (JSON bodies, responses) the document keeps its full schema.
    """

    def field_to_swagger_object(
        self,
        field: serializers.Field,
        swagger_object_type: type,
        use_references: bool,
        **kwargs: Any,
    ) -> Any:
        if not (
            isinstance(field, JSONResumeSerializer) and swagger_object_type == openapi.Parameter
        ):
            return NotHandled
        swagger_type, _ = self._get_partial_types(
            field, swagger_object_type, use_references, **kwargs
        )
        return swagger_type(type=openapi.TYPE_STRING, format="json")
