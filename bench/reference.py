"""The naive list the benchmark measures against: every field, no pagination, and a
freshly presigned URL for every image of every row (what a first draft would do)."""

from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from resumes.models import Resume


class NaiveResumeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resume
        fields = "__all__"


@api_view(["GET"])
def naive_resume_list(request: Request) -> Response:
    resumes = Resume.objects.filter(owner=request.user)
    return Response(NaiveResumeSerializer(resumes, many=True, context={"request": request}).data)
