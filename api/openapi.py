"""Shared pieces of the OpenAPI (Swagger 2.0) description."""

import copy

from drf_yasg import openapi
from drf_yasg.generators import OpenAPISchemaGenerator
from drf_yasg.inspectors import SwaggerAutoSchema
from rest_framework import serializers
from rest_framework.request import Request

from api.parsers import TEXT_PATTERN


class NoContentAwareGenerator(OpenAPISchemaGenerator):
    """Swagger 2.0 lists media types per operation, not per response, and a 204 has no body
    and so no Content-Type (nginx strips one if the app sends it). An operation that can
    answer 204 lists no media type instead of promising JSON for it; every other operation
    lists its own. An operation that reads a body documents DRF's 415 for a body of a type
    it does not read (or none)."""

    def get_schema(self, request: Request | None = None, public: bool = False) -> openapi.Swagger:
        schema = super().get_schema(request, public)
        produces = schema.pop("produces", [])
        for path_item in schema.paths.values():
            for _method, operation in path_item.operations:
                if "204" not in operation.responses:
                    operation.setdefault("produces", produces)
                if any(p["in"] in ("body", "formData") for p in operation.parameters):
                    operation.responses.setdefault("415", UNSUPPORTED_MEDIA_TYPE)
        return schema


class AutoSchema(SwaggerAutoSchema):
    """A JSON body is required only when some field in it is, and a partial update (PATCH)
    requires none of its fields: drf-yasg marks every body required and reuses the
    serializer's definition, `required` list included, for PATCH. Optional query parameters
    may be sent empty."""

    def get_request_body_schema(self, serializer: serializers.Serializer) -> openapi.Schema:
        schema = super().get_request_body_schema(serializer)
        if self.method != "PATCH":
            return schema
        partial = copy.deepcopy(openapi.resolve_ref(schema, self.components))
        partial.pop("required", None)
        return partial

    def get_query_parameters(self) -> list[openapi.Parameter]:
        parameters = super().get_query_parameters()
        for parameter in parameters:
            if not parameter.required:
                # DRF reads an optional query parameter sent empty as if it were left out.
                parameter.allow_empty_value = True
            if parameter.type == openapi.TYPE_STRING and "pattern" not in parameter:
                # Control characters are refused in every query value (api/middleware.py).
                parameter.pattern = TEXT_PATTERN
        return parameters

    def make_body_parameter(self, schema: openapi.Schema) -> openapi.Parameter:
        parameter = super().make_body_parameter(schema)
        parameter.required = bool(openapi.resolve_ref(schema, self.components).get("required"))
        return parameter


class FormUploadAutoSchema(AutoSchema):
    """Describe the body as multipart form data so Swagger UI offers real file inputs.

    The view also accepts JSON; drf-yasg would describe a JSON body (and read-only file
    fields) as soon as JSONParser is among the parsers.
    """

    def get_consumes(self) -> list[str]:
        return ["multipart/form-data", "application/x-www-form-urlencoded"]

    def get_request_form_parameters(self, serializer: serializers.Serializer) -> list:
        parameters = super().get_request_form_parameters(serializer)
        for parameter in parameters:
            if self.method == "PATCH":
                # A partial update needs none of the fields.
                parameter.required = False
            if not parameter.required:
                # DRF reads an optional form field sent empty as if it were left out.
                parameter.allow_empty_value = True
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
# Added to the finished document, where serializers are no longer resolved: a plain schema.
UNSUPPORTED_MEDIA_TYPE = openapi.Response(
    "The body's Content-Type is missing or not one this operation reads.",
    openapi.Schema(
        type=openapi.TYPE_OBJECT,
        properties={"detail": openapi.Schema(type=openapi.TYPE_STRING)},
        required=["detail"],
    ),
)
THROTTLED = openapi.Response(
    "Too many requests from this client; the Retry-After header says when to retry.",
    ErrorDetailSerializer,
)
