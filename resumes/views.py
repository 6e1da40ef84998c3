from drf_yasg.utils import swagger_auto_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from config.openapi import (
    NOT_FOUND,
    STORAGE_UNAVAILABLE,
    UNAUTHORIZED,
    VALIDATION_ERROR,
    FormUploadAutoSchema,
)
from config.pagination import StandardPagination, page_serializer
from resumes.selectors import resume_get, resume_list
from resumes.serializers import ResumeListQuerySerializer, ResumeSerializer
from resumes.services import resume_delete

BODY_PARSERS = [MultiPartParser, FormParser, JSONParser]
WRITE_RESPONSES = {400: VALIDATION_ERROR, 401: UNAUTHORIZED, 503: STORAGE_UNAVAILABLE}


@swagger_auto_schema(
    method="get",
    operation_id="resumes_list",
    operation_description="The caller's résumés, newest first unless `ordering` says otherwise.",
    query_serializer=ResumeListQuerySerializer,
    responses={200: page_serializer(ResumeSerializer), 400: VALIDATION_ERROR, 401: UNAUTHORIZED},
)
@swagger_auto_schema(
    method="post",
    operation_id="resumes_create",
    operation_description="Create a résumé. Send multipart form data to attach an image, "
    "or JSON without one.",
    request_body=ResumeSerializer,
    responses={201: ResumeSerializer, **WRITE_RESPONSES},
    auto_schema=FormUploadAutoSchema,
)
@api_view(["GET", "POST"])
@parser_classes(BODY_PARSERS)
def resume_list_create(request: Request) -> Response:
    if request.method == "POST":
        serializer = ResumeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        serializer.save(owner=request.user)
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    query = ResumeListQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    resumes = resume_list(
        owner=request.user,
        search=query.validated_data.get("search", ""),
        ordering=query.validated_data.get("ordering", ""),
    )
    paginator = StandardPagination()
    page = paginator.paginate_queryset(resumes, request)
    serializer = ResumeSerializer(page, many=True, context={"request": request})
    return paginator.get_paginated_response(serializer.data)


@swagger_auto_schema(
    method="get",
    operation_id="resumes_read",
    responses={200: ResumeSerializer, 401: UNAUTHORIZED, 404: NOT_FOUND},
)
@swagger_auto_schema(
    method="put",
    operation_id="resumes_update",
    operation_description="Replace the résumé's fields. Multipart form data to send an image.",
    request_body=ResumeSerializer,
    responses={200: ResumeSerializer, 404: NOT_FOUND, **WRITE_RESPONSES},
    auto_schema=FormUploadAutoSchema,
)
@swagger_auto_schema(
    method="patch",
    operation_id="resumes_partial_update",
    operation_description="Change some fields. An empty `image` (form) or null (JSON) "
    "removes the image.",
    request_body=ResumeSerializer,
    responses={200: ResumeSerializer, 404: NOT_FOUND, **WRITE_RESPONSES},
    auto_schema=FormUploadAutoSchema,
)
@swagger_auto_schema(
    method="delete",
    operation_id="resumes_delete",
    responses={204: "Deleted, with its image.", 401: UNAUTHORIZED, 404: NOT_FOUND},
)
@api_view(["GET", "PUT", "PATCH", "DELETE"])
@parser_classes(BODY_PARSERS)
def resume_detail(request: Request, resume_id: int) -> Response:
    resume = resume_get(owner=request.user, resume_id=resume_id)

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
    serializer.save()
    return Response(serializer.data)
