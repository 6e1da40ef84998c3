from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from drf_yasg.utils import swagger_auto_schema
from rest_framework import status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from api.pagination import StandardPagination
from api.parsers import DOCUMENT_OR_FILE_PARSERS, FILE_FORM_OR_JSON_PARSERS
from api.queries import PreparedQuery
from api.query_parameters import validated_query
from api.throttling import throttle_scope
from resumes import openapi as docs
from resumes.attachments import RESUME_IMAGE
from resumes.json_resume import JSONResumeFileSerializer, JSONResumeSerializer
from resumes.models import Resume
from resumes.selectors import (
    resume_find,
    resume_get,
    resume_get_public,
    resume_list,
    resume_public_image_url,
)
from resumes.serializers import (
    PublicResumeSerializer,
    ResumeExportSerializer,
    ResumeListItemSerializer,
    ResumeListQuerySerializer,
    ResumeSerializer,
    ShareLinkSerializer,
)
from resumes.services import (
    resume_create,
    resume_create_from_document,
    resume_delete,
    resume_regenerate_share_slug,
    resume_update,
)
from users.authentication import AccessTokenIdAuthentication, require_account


@swagger_auto_schema(method="get", **docs.LIST)
@swagger_auto_schema(method="post", **docs.CREATE)
@api_view(["GET", "POST"])
@parser_classes(FILE_FORM_OR_JSON_PARSERS)
def resume_list_create(request: Request) -> Response:
    if request.method == "POST":
        serializer = ResumeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        resume = resume_create(owner=request.user, **serializer.validated_data)
        context = {"request": request, "content_changes": serializer.sent_content_changes()}
        return Response(
            ResumeSerializer(resume, context=context).data, status=status.HTTP_201_CREATED
        )

    query = validated_query(ResumeListQuerySerializer, request)
    resumes = resume_list(
        owner=request.user, search=query.get("search", ""), ordering=query.get("ordering", "")
    )
    paginator = StandardPagination()
    page = paginator.paginate_queryset(resumes, request)
    serializer = ResumeListItemSerializer(
        page, many=True, context={"request": request, "owner": request.user.username}
    )
    return paginator.get_paginated_response(serializer.data)


@swagger_auto_schema(method="get", **docs.READ)
@swagger_auto_schema(method="put", **docs.REPLACE)
@swagger_auto_schema(method="patch", **docs.UPDATE)
@swagger_auto_schema(method="delete", **docs.DELETE)
@api_view(["GET", "PUT", "PATCH", "DELETE"])
@authentication_classes([AccessTokenIdAuthentication])
@parser_classes(FILE_FORM_OR_JSON_PARSERS)
def resume_detail(request: Request, resume_id: int) -> Response:
    resume = requested_resume(request, resume_id)

    if request.method == "GET":
        return Response(ResumeSerializer(resume, context={"request": request}).data)

    if request.method == "DELETE":
        resume_delete(resume)
        return Response(status=status.HTTP_204_NO_CONTENT)

    serializer = ResumeSerializer(
        resume,
        data=request.data,
        partial=request.method == "PATCH",
        context={"request": request},
    )
    serializer.is_valid(raise_exception=True)
    resume = resume_update(resume, **serializer.validated_data)
    context = {"request": request, "content_changes": serializer.sent_content_changes()}
    return Response(ResumeSerializer(resume, context=context).data)


def requested_resume(
    request: Request, resume_id: int, query: PreparedQuery[Resume] | None = None
) -> Resume:
    """One of the requester's résumés, for a view authenticated by AccessTokenIdAuthentication:
    the résumé and its owner's row in one query (`query`: see resume_find), the account then
    checked as the token authentication would have (401 once it is deleted or deactivated),
    else the usual 404."""
    resume = resume_find(owner_id=request.user.pk, resume_id=resume_id, query=query)
    require_account(request, resume.owner if resume else None)
    if resume is None:
        resume = resume_get(owner=request.user, resume_id=resume_id)
    return resume


PUBLIC_RESUME_THROTTLE_SCOPE = "public_resume"


@swagger_auto_schema(method="post", **docs.IMPORT)
@api_view(["POST"])
@parser_classes(DOCUMENT_OR_FILE_PARSERS)
def resume_import(request: Request) -> Response:
    document = request.data
    if request.content_type.startswith("multipart/"):
        upload = JSONResumeFileSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        document = upload.validated_data["file"]
    serializer = JSONResumeSerializer(data=document)
    serializer.is_valid(raise_exception=True)
    resume = resume_create_from_document(owner=request.user, document=serializer.validated_data)
    context = {"request": request, "content_changes": serializer.changes}
    return Response(ResumeSerializer(resume, context=context).data, status=status.HTTP_201_CREATED)


@swagger_auto_schema(method="get", **docs.EXPORT)
@api_view(["GET"])
def resume_export(request: Request, resume_id: int) -> Response:
    resume = resume_get(owner=request.user, resume_id=resume_id)
    document = ResumeExportSerializer(resume, context={"request": request}).data
    filename = resume.download_name("json")
    return Response(document, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@swagger_auto_schema(method="post", **docs.SHARE_LINK)
@api_view(["POST"])
def resume_share_link(request: Request, resume_id: int) -> Response:
    resume = resume_regenerate_share_slug(resume_get(owner=request.user, resume_id=resume_id))
    return Response(ShareLinkSerializer(resume, context={"request": request}).data)


@swagger_auto_schema(method="get", **docs.PUBLIC_READ)
@throttle_scope(PUBLIC_RESUME_THROTTLE_SCOPE)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([ScopedRateThrottle])
def public_resume_read(request: Request, share_slug: str) -> Response:
    resume = resume_get_public(share_slug=share_slug)
    response = Response(PublicResumeSerializer(resume, context={"request": request}).data)
    # Revoking a link must take effect at once, in browsers and in shared caches alike: a
    # cache may keep the answer only if it asks again (and gets the 404) before each use.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _public_image_view(field: str, what: str) -> Callable[..., HttpResponseRedirect]:
    @swagger_auto_schema(method="get", **docs.public_image(field, what))
    @throttle_scope(PUBLIC_RESUME_THROTTLE_SCOPE)
    @api_view(["GET"])
    @authentication_classes([])
    @permission_classes([AllowAny])
    @throttle_classes([ScopedRateThrottle])
    def view(request: Request, share_slug: str) -> HttpResponseRedirect:
        return public_image_redirect(request, share_slug=share_slug, field=field)

    return view


def public_image_redirect(
    request: HttpRequest, *, share_slug: str, field: str
) -> HttpResponseRedirect:
    """A redirect to a short-lived URL of a public résumé's image (`field`); Http404 when
    the link is not public (any more) or the résumé has no such image."""
    lifetime = settings.PUBLIC_IMAGE_URL_EXPIRE_SECONDS
    url = resume_public_image_url(share_slug=share_slug, field=field, expire_seconds=lifetime)
    response = HttpResponseRedirect(request.build_absolute_uri(url))
    # A browser that follows a cached redirect must still find its target valid.
    patch_cache_control(response, private=True, max_age=lifetime // 2)
    return response


public_resume_image = _public_image_view(RESUME_IMAGE.field, "image")
public_resume_image_thumbnail = _public_image_view(RESUME_IMAGE.thumbnail_field, "thumbnail")
