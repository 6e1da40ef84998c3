"""Shared pieces of the OpenAPI (Swagger 2.0) description: the document's sections, the
generator and inspectors that shape it, and responses that many operations share.

Each app's `openapi.py` holds its own operations' documentation (summary, description,
request example, responses), which its views pass to `swagger_auto_schema`.
"""

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.urls import URLPattern, URLResolver
from drf_yasg import openapi
from drf_yasg.generators import OpenAPISchemaGenerator
from drf_yasg.inspectors import (
    FieldInspector,
    InlineSerializerInspector,
    NotHandled,
    ReferencingSerializerInspector,
    SwaggerAutoSchema,
)
from rest_framework import serializers
from rest_framework.request import Request

from api.parsers import TEXT_PATTERN

# The document's sections in the order a person meets them. Swagger UI (without a
# tagsSorter) and ReDoc list sections in this order; operations within one follow the URLconf.
TAGS = [
    {
        "name": "auth",
        "description": "Sign up, log in, and manage the account. Logging in gives an access "
        "token, sent as `Authorization: Bearer <access>` (in Swagger UI: **Authorize**), and "
        "a refresh token that gets new ones.",
    },
    {
        "name": "profiles",
        "description": "The account's profile: display name, headline, bio, links, avatar.",
    },
    {
        "name": "resumes",
        "description": "Your résumés: create one from a form (with an image file) or from "
        "JSON, list, read, change and delete them, import and export JSON Resume documents, "
        "share one by link.",
    },
    {
        "name": "themes",
        "description": "How a résumé looks: its public page, its preview and its PDF in one "
        "of these themes (`theme` on the résumé).",
    },
    {
        "name": "uploads",
        "description": "Direct uploads: the browser sends an image straight to S3 with a "
        "presigned POST, then names its key as a résumé's `image_key` or the profile's "
        "`avatar_key`.",
    },
    {
        "name": "public",
        "description": "What anyone with a share link sees, without a token.",
    },
    {
        "name": "exports",
        "description": "Everything the account holds, as one zip: built in the background, "
        "downloaded through a short-lived link, deleted after a day.",
    },
    {
        "name": "account deletion",
        "description": "Delete the account and everything it holds, for good. Listed last: "
        "the examples above stop working once this one has run.",
    },
]


def _routes(patterns: Sequence[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    """Every route under `patterns`, in URLconf order, as drf-yasg's enumerator joins them."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route


class DocumentGenerator(OpenAPISchemaGenerator):
    """The document in reading order: sections (tags) as TAGS lists them, operations within
    a section in URLconf order (drf-yasg sorts paths alphabetically, which puts logging out
    before signing up), responses by status code.

    Swagger 2.0 lists media types per operation, not per response, and a 204 has no body
    and so no Content-Type (nginx strips one if the app sends it). An operation that can
    answer 204 lists no media type instead of promising JSON for it; every other operation
    lists its own. An operation that reads a body documents DRF's 415 for a body of a type
    it does not read (or none)."""

    def get_schema(self, request: Request | None = None, public: bool = False) -> openapi.Swagger:
        schema = super().get_schema(request, public)
        schema.tags = TAGS
        produces = schema.pop("produces", [])
        for path_item in schema.paths.values():
            for _method, operation in path_item.operations:
                if "204" not in operation.responses:
                    operation.setdefault("produces", produces)
                if any(p["in"] in ("body", "formData") for p in operation.parameters):
                    operation.responses.setdefault("415", UNSUPPORTED_MEDIA_TYPE)
                for status_code in sorted(operation.responses):
                    operation.responses[status_code] = operation.responses.pop(status_code)
        return schema

    def get_paths(
        self, endpoints: dict, components: openapi.ReferenceResolver, request: Request, public: bool
    ) -> tuple[openapi.Paths, str]:
        paths, prefix = super().get_paths(endpoints, components, request, public)
        enumerator = self.endpoint_enumerator_class(self._gen.patterns, self._gen.urlconf)
        urlconf_order = {
            # The same path as get_paths writes it: below the base path, starting with "/".
            "/" + enumerator.get_path_from_regex(route)[len(prefix) :].lstrip("/"): index
            for index, route in enumerate(_routes(enumerator.patterns))
        }
        tag_order = {tag["name"]: index for index, tag in enumerate(TAGS)}

        def reading_order(item: tuple[str, openapi.PathItem]) -> tuple[int, int]:
            path, path_item = item
            (_method, operation), *_ = path_item.operations
            return (
                tag_order.get(operation.tags[0], len(tag_order)),
                urlconf_order.get(path, len(urlconf_order)),
            )

        return openapi.Paths(dict(sorted(paths.items(), key=reading_order))), prefix


class ResponseModelInspector(ReferencingSerializerInspector):
    """Named models (`definitions`) show what a response holds: no write-only field.

    drf-yasg lists a serializer's write-only fields (`image_key`, passwords) in every schema
    made from it, and Swagger 2.0 has no `writeOnly`. Request bodies are written inline
    (AutoSchema), with them; models are what responses and nested values refer to.
    """

    def field_to_swagger_object(self, field: serializers.Field, *args: Any, **kwargs: Any) -> Any:
        result = super().field_to_swagger_object(field, *args, **kwargs)
        if result is NotHandled or not isinstance(field, serializers.Serializer):
            return result
        write_only = {name for name, child in field.fields.items() if child.write_only}
        if write_only:
            schema = openapi.resolve_ref(result, self.components)
            for name in write_only:
                schema.properties.pop(name, None)
            required = [name for name in schema.get("required", []) if name not in write_only]
            schema.required = required or None
        return result


class RequestBodyInspector(InlineSerializerInspector):
    """A request body written out inline, as a client sends it; serializers nested in it
    stay references to their models."""

    def get_serializer_ref_name(self, serializer: serializers.Serializer) -> None:
        # Only ever asked about the body itself: nested serializers go through the view's
        # field inspectors, which name them.
        return None


class AnyJSONField(serializers.JSONField):
    """A JSON value of any kind: text, a number, null, a list or an object."""


class AnyJSONFieldInspector(FieldInspector):
    """OpenAPI 2.0 has no type for "any value", but a schema without a type admits every
    value (drf-yasg would write a JSONField as an object)."""

    def field_to_swagger_object(
        self,
        field: serializers.Field,
        swagger_object_type: type,
        use_references: bool,
        **kwargs: Any,
    ) -> Any:
        if not isinstance(field, AnyJSONField) or swagger_object_type != openapi.Schema:
            return NotHandled
        schema = openapi.SwaggerDict()
        schema.title = field.label or field.field_name.capitalize()
        if field.help_text:
            schema.description = field.help_text
        return schema


class AutoSchema(SwaggerAutoSchema):
    """Bodies and parameters as clients send them.

    A request body is written inline, without read-only fields and with write-only ones,
    when the operation gives its own example (`request_example`, an extra argument of
    `swagger_auto_schema`), when its serializer has read-only or write-only fields, or for a
    partial update (PATCH), which requires none of its fields: Swagger 2.0 allows nothing
    beside a `$ref`, and the model it names is what responses hold. A JSON body is required
    only when some field in it is. Optional query parameters may be sent empty.
    """

    field_inspectors = [
        AnyJSONFieldInspector,
        *(
            ResponseModelInspector if inspector is ReferencingSerializerInspector else inspector
            for inspector in SwaggerAutoSchema.field_inspectors
        ),
    ]

    def get_request_body_schema(self, serializer: serializers.Serializer) -> openapi.Schema:
        example = self.overrides.get("request_example")
        one_way = any(field.read_only or field.write_only for field in serializer.fields.values())
        if example is None and not one_way and self.method != "PATCH":
            return super().get_request_body_schema(serializer)
        inspector = RequestBodyInspector(
            self.view, self.path, self.method, self.components, self.request, self.field_inspectors
        )
        schema = inspector.field_to_swagger_object(serializer, openapi.Schema, True)
        for name, field in serializer.fields.items():
            if field.read_only:
                schema.properties.pop(name, None)
        if self.method == "PATCH":
            schema.pop("required", None)
        if example is not None:
            schema.example = example
        return schema

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

    def get_response_serializers(self) -> dict[str, Any]:
        # drf-yasg adds a bodiless 200 to an operation whose documented answer is a redirect.
        responses = self.overrides.get("responses") or {}
        if any(300 <= int(status_code) < 400 for status_code in responses):
            return {str(status_code): response for status_code, response in responses.items()}
        return super().get_response_serializers()


class FormUploadAutoSchema(AutoSchema):
    """Describe the body as multipart form data so Swagger UI offers real file inputs, each
    field prefilled (`x-example`) from the operation's `request_example`.

    The view also accepts JSON; drf-yasg would describe a JSON body (and read-only file
    fields) as soon as JSONParser is among the parsers. Use it through `form_or_json`.
    """

    def get_consumes(self) -> list[str]:
        return ["multipart/form-data", "application/x-www-form-urlencoded"]

    def get_request_form_parameters(self, serializer: serializers.Serializer) -> list:
        parameters = super().get_request_form_parameters(serializer)
        example = self.overrides.get("request_example") or {}
        for parameter in parameters:
            if self.method == "PATCH":
                # A partial update needs none of the fields.
                parameter.required = False
            if not parameter.required:
                # DRF reads an optional form field sent empty as if it were left out.
                parameter.allow_empty_value = True
            if parameter.name in example:
                parameter.x_example = form_value(example[parameter.name])
        return parameters


def form_value(value: Any) -> Any:
    """A JSON body's value as a form field carries it: objects and lists as JSON text."""
    if isinstance(value, Mapping | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def form_or_json(description: str, json_note: str, example: Mapping[str, Any]) -> dict[str, Any]:
    """`swagger_auto_schema` arguments for an operation that reads a multipart form or the
    same fields as JSON.

    Swagger 2.0 gives an operation one body, a form or a JSON schema. The form becomes the
    operation's parameters, because only there does Swagger UI offer file inputs; the JSON
    body (what the SPA sends after a direct upload) is explained in the description, with
    `example` as a JSON block that tests send as it stands, and prefills the form's fields.
    """
    example_json = json.dumps(example, indent=2, ensure_ascii=False)
    return {
        "operation_description": f"{description}\n\n**As JSON**: {json_note}\n\n"
        f"```json\n{example_json}\n```",
        "request_example": example,
        "auto_schema": FormUploadAutoSchema,
    }


def direct_upload_note(image_field: str, key_field: str, purpose: str) -> str:
    """How a JSON body attaches an image: by the key of a direct upload."""
    return (
        f"The {image_field} then comes from a direct upload, as the SPA sends it: add "
        f'`"{key_field}"` with the `key` that `POST /api/uploads/` (purpose `{purpose}`) '
        f'returned; `"{image_field}": null` removes the {image_field}.'
    )


def image_errors(image_field: str, key_field: str) -> str:
    """The 400s of an image field and its upload key, for an error response's description."""
    return (
        f"A file that is no JPEG, PNG or WebP image: "
        f'`{{"{image_field}": ["Unsupported file type: upload a JPEG, PNG or WebP image."]}}`; '
        f"an upload key that is unknown, spent or not yours: "
        f'`{{"{key_field}": ["Unknown upload key: request one from POST /api/uploads/."]}}`.'
    )


class ErrorDetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


def invalid_input(example: Mapping[str, Any], description: str = "") -> openapi.Response:
    """A 400 for fields that fail validation, with an answer the API really gives."""
    return openapi.Response(
        " ".join(["Invalid input: each field named with its error messages.", description]).strip(),
        examples={"application/json": example},
    )


def error_detail(description: str, detail: str) -> openapi.Response:
    """An error answered as `{"detail": ...}`, with a message the API really gives."""
    return openapi.Response(
        description, ErrorDetailSerializer, examples={"application/json": {"detail": detail}}
    )


UNAUTHORIZED = error_detail(
    "Missing, invalid or expired access token.", "Authentication credentials were not provided."
)
STORAGE_UNAVAILABLE = error_detail(
    "The image store could not be reached; nothing was saved.",
    "The image store is unavailable right now; nothing was saved. Try again.",
)
THROTTLED = error_detail(
    "Too many requests from this client; the Retry-After header says when to retry.",
    "Request was throttled. Expected available in 60 seconds.",
)
# Added to the finished document, where serializers are no longer resolved: a plain schema.
UNSUPPORTED_MEDIA_TYPE = openapi.Response(
    "The body's Content-Type is missing or not one this operation reads.",
    openapi.Schema(
        type=openapi.TYPE_OBJECT,
        properties={"detail": openapi.Schema(type=openapi.TYPE_STRING)},
        required=["detail"],
    ),
    examples={"application/json": {"detail": 'Unsupported media type "text/plain" in request.'}},
)
