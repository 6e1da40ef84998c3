"""The résumé operations' documentation, and how a form carries a résumé's content."""

from typing import Any

from drf_yasg import openapi
from drf_yasg.inspectors import FieldInspector, NotHandled
from rest_framework import serializers

from api.openapi import (
    STORAGE_UNAVAILABLE,
    THROTTLED,
    UNAUTHORIZED,
    direct_upload_note,
    error_detail,
    form_or_json,
    image_errors,
    invalid_input,
)
from api.pagination import page_serializer
from resumes.json_resume import JSONResumeSerializer
from resumes.json_resume_schema import DATE_MESSAGE, EMAIL_MESSAGE, SCHEMA_VERSION
from resumes.serializers import (
    PublicResumeSerializer,
    ResumeListItemSerializer,
    ResumeListQuerySerializer,
    ResumeSerializer,
    ShareLinkSerializer,
)
from uploads.models import UploadPurpose


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


RESUME = openapi.Response("The résumé.", ResumeSerializer)
NOT_FOUND = error_detail("No such résumé among yours.", "No Resume matches the given query.")
PUBLIC_NOT_FOUND = error_detail(
    "No public résumé behind this link: unknown, private, or replaced by a new link.",
    "No Resume matches the given query.",
)
RESUME_EXAMPLE = {
    "title": "Ada Lovelace – Analyst",
    "summary": "Mathematician; wrote the first published algorithm meant for a machine.",
    "content": {
        "basics": {"name": "Ada Lovelace", "label": "Analyst"},
        "work": [
            {
                "name": "Analytical Engine",
                "position": "Analyst",
                "startDate": "1842-10",
                "endDate": "1843-09",
            }
        ],
    },
    "is_public": False,
}
FORM_NOTE = (
    "A multipart form (the parameters below) can attach an image file as `image`; its "
    "`content` is the JSON Resume document as JSON text."
)
JSON_NOTE = (
    "the same fields as `application/json`, `content` being the JSON Resume document itself. "
    + direct_upload_note("image", "image_key", UploadPurpose.RESUME_IMAGE)
)
CONTENT_ERRORS = (
    "`content` is read as the import reads it (`content_changes` in the answer lists what "
    "was changed); its errors name the path of each bad value in the document."
)
IMAGE_ERRORS = image_errors("image", "image_key")
WRITE_RESPONSES = {401: UNAUTHORIZED, 503: STORAGE_UNAVAILABLE}

LIST = {
    "operation_id": "resumes_list",
    "operation_summary": "List your résumés",
    "operation_description": "Your résumés without their content, newest first unless "
    "`ordering` says otherwise, a page at a time.",
    "query_serializer": ResumeListQuerySerializer,
    "responses": {
        200: openapi.Response("A page of your résumés.", page_serializer(ResumeListItemSerializer)),
        400: invalid_input(
            {"ordering": ['"salary" is not a valid choice.']},
            "An unknown query parameter is refused by name.",
        ),
        401: UNAUTHORIZED,
        404: error_detail("The page is past the last one.", "Invalid page."),
    },
}

CREATE = {
    "operation_id": "resumes_create",
    "operation_summary": "Create a résumé",
    **form_or_json(FORM_NOTE, JSON_NOTE, RESUME_EXAMPLE),
    "request_body": ResumeSerializer,
    "field_inspectors": [JSONResumeFormFieldInspector],
    "responses": {
        201: openapi.Response("The new résumé.", ResumeSerializer),
        400: invalid_input(
            {
                "title": ["This field is required."],
                "content": {"work[0].startDate": [DATE_MESSAGE]},
            },
            f"{CONTENT_ERRORS} {IMAGE_ERRORS}",
        ),
        **WRITE_RESPONSES,
    },
}

READ = {
    "operation_id": "resumes_read",
    "operation_summary": "Show a résumé",
    "responses": {200: RESUME, 401: UNAUTHORIZED, 404: NOT_FOUND},
}

REPLACE = {
    "operation_id": "resumes_update",
    "operation_summary": "Replace a résumé",
    **form_or_json(
        f"Set the résumé's fields: `title` is required, and a field left out keeps its value. "
        f"{FORM_NOTE}",
        JSON_NOTE,
        RESUME_EXAMPLE,
    ),
    "request_body": ResumeSerializer,
    "field_inspectors": [JSONResumeFormFieldInspector],
    "responses": {
        200: RESUME,
        400: invalid_input(
            {"title": ["This field may not be blank."]}, f"{CONTENT_ERRORS} {IMAGE_ERRORS}"
        ),
        404: NOT_FOUND,
        **WRITE_RESPONSES,
    },
}

UPDATE = {
    "operation_id": "resumes_partial_update",
    "operation_summary": "Change a résumé",
    **form_or_json(
        "Change only the fields you send; `is_public` makes the share link work or stop "
        "working, `theme` sets how its page and PDF look (GET /api/themes/), "
        "`allow_search_indexing` lets search engines index its page. In a form, an empty "
        f"`image` removes the image. {FORM_NOTE}",
        JSON_NOTE,
        {
            "summary": "Analyst and writer on the Analytical Engine.",
            "is_public": True,
            "theme": "modern",
        },
    ),
    "request_body": ResumeSerializer,
    "field_inspectors": [JSONResumeFormFieldInspector],
    "responses": {
        200: RESUME,
        400: invalid_input(
            {"image_key": ["Unknown upload key: request one from POST /api/uploads/."]},
            f"{CONTENT_ERRORS} {IMAGE_ERRORS}",
        ),
        404: NOT_FOUND,
        **WRITE_RESPONSES,
    },
}

DELETE = {
    "operation_id": "resumes_delete",
    "operation_summary": "Delete a résumé",
    "responses": {204: "Deleted, with its image.", 401: UNAUTHORIZED, 404: NOT_FOUND},
}

IMPORT = {
    "operation_id": "resumes_import",
    "operation_summary": "Import a JSON Resume document",
    "operation_description": f"Create a résumé from a JSON Resume document (schema "
    f"{SCHEMA_VERSION}): the JSON body, or a multipart form with the document as a `.json` "
    "file in `file`. The document is read as JSON Resume's tools write it: an empty value or "
    'null is a value left out, an end date of "Present" means ongoing, dates written '
    "another way (07/2025, July 2025) become ISO dates, a URL without a scheme gets https://, "
    "names from before schema 1.0 are renamed, text where the schema has an object becomes "
    "its name; keys of your own are kept. `content_changes` in the answer lists each change. "
    "The title comes from basics.name and basics.label, the summary from basics.summary, the "
    "theme from meta.theme when it names one of ours (GET /api/themes/, else classic); "
    "basics.image is never stored or fetched.",
    "request_body": JSONResumeSerializer,
    "responses": {
        201: openapi.Response(
            "The new résumé, holding the clean document, with `content_changes`.",
            ResumeSerializer,
        ),
        400: invalid_input(
            {"basics.email": [EMAIL_MESSAGE], "work[0].startDate": [DATE_MESSAGE]},
            "Each bad value is named by its path in the document as sent; problems with the "
            "document as a whole (not an object, not JSON, too large) are under "
            "non_field_errors, with the uploaded file under file.",
        ),
        401: UNAUTHORIZED,
    },
}

EXPORT = {
    "operation_id": "resumes_export",
    "operation_summary": "Export as a JSON Resume document",
    "operation_description": f"The résumé's content as a JSON Resume {SCHEMA_VERSION} "
    "document, as a download (`<title slug>.json`); basics.image is the résumé's image URL.",
    "responses": {
        200: openapi.Response("The document.", JSONResumeSerializer),
        401: UNAUTHORIZED,
        404: NOT_FOUND,
    },
}

SHARE_LINK = {
    "operation_id": "resumes_share_link_regenerate",
    "operation_summary": "Replace the share link",
    "operation_description": "Give the résumé a new share link; the old link answers 404 "
    "from now on, and so do its image links. Whether the link works at all is `is_public` "
    "on the résumé.",
    "responses": {
        200: openapi.Response("The new link.", ShareLinkSerializer),
        401: UNAUTHORIZED,
        404: NOT_FOUND,
    },
}

PUBLIC_READ = {
    "operation_id": "public_resumes_read",
    "operation_summary": "Read a shared résumé",
    "operation_description": "A public résumé's data, by its share link, for anyone (no "
    "token), for pages that render it themselves; `share_url` (/r/{share_slug}/) is the page "
    "people read. Rate-limited per client address, together with that page.",
    "security": [],
    "responses": {
        200: openapi.Response("The résumé as its link shows it.", PublicResumeSerializer),
        404: PUBLIC_NOT_FOUND,
        429: THROTTLED,
    },
}


def public_image(field: str, what: str) -> dict[str, Any]:
    """The documentation of the redirect to a shared résumé's `field` (an image)."""
    return {
        "operation_id": f"public_resumes_{field}",
        "operation_summary": f"Open a shared résumé's {what}",
        "operation_description": f"Redirect (302) to the public résumé's {what}, checking the "
        "share link at every request. The target URL works for "
        "PUBLIC_IMAGE_URL_EXPIRE_SECONDS; the redirect may be cached (privately) for half "
        "that. Rate-limited together with the résumé itself.",
        "security": [],
        "responses": {
            302: f"Redirect to the stored {what}.",
            404: PUBLIC_NOT_FOUND,
            429: THROTTLED,
        },
    }
