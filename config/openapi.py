"""Shared pieces of the OpenAPI (Swagger 2.0) description."""

from drf_yasg import openapi
from drf_yasg.inspectors import SwaggerAutoSchema
from rest_framework import serializers


class FormUploadAutoSchema(SwaggerAutoSchema):
    """Describe the body as multipart form data so Swagger UI offers real file inputs.

    The view also accepts JSON; drf-yasg would describe a JSON body (and read-only file
    fields) as soon as JSONParser is among the parsers.
    """

    def get_consumes(self) -> list[str]:
        return ["multipart/form-data", "application/x-www-form-urlencoded"]

    def get_request_form_parameters(self, serializer: serializers.Serializer) -> list:
        parameters = super().get_request_form_parameters(serializer)
        if self.method == "PATCH":
            # A partial update needs none of the fields.
            for parameter in parameters:
                parameter.required = False
        return parameters


class ErrorDetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


VALIDATION_ERROR = openapi.Response(
    "Invalid input: an object mapping each field to its error messages.",
    examples={"application/json": {"title": ["This field is required."]}},
)
UNAUTHORIZED = openapi.Response("Missing, invalid or expired access token.", ErrorDetailSerializer)
NOT_FOUND = openapi.Response("No such object among the caller's own.", ErrorDetailSerializer)
STORAGE_UNAVAILABLE = openapi.Response(
    "The image store could not be reached; nothing was saved.", ErrorDetailSerializer
)
THROTTLED = openapi.Response(
    "Too many requests from this client; the Retry-After header says when to retry.",
    ErrorDetailSerializer,
)
