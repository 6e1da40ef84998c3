"""ResumeRepresentation builds what DRF's fields would: the same keys, in the same order,
with the same values, for a detail and for list rows."""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import set_script_prefix
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from resumes.models import Resume
from resumes.selectors import resume_list
from resumes.serializers import (
    ResumeFieldsSerializer,
    ResumeListItemSerializer,
    ResumeSerializer,
)
from tests.factories import ResumeFactory, UserFactory

pytestmark = pytest.mark.django_db


class DRFResume(ResumeFieldsSerializer):
    """Every field, represented by DRF field by field."""

    class Meta(ResumeFieldsSerializer.Meta):
        ref_name = "TestDRFResume"


class DRFResumeListItem(ResumeFieldsSerializer):
    class Meta(ResumeFieldsSerializer.Meta):
        ref_name = "TestDRFResumeListItem"
        fields = ResumeListItemSerializer.Meta.fields


def request_for(host: str = "testserver") -> Request:
    return Request(APIRequestFactory().get("/api/resumes/", HTTP_HOST=host))


@pytest.fixture
def resumes() -> list[Resume]:
    owner = UserFactory(username="zoë")
    with_images = ResumeFactory(
        owner=owner,
        title="Ingénieure – 東京",
        summary="Line one\nline two \u2028",
        image=f"resumes/{owner.pk}/a1b2.jpg",
        image_thumbnail=f"resumes/{owner.pk}/a1b2_thumb.jpg",
        content={"basics": {"name": "Zoë", "label": "Ingénieure"}, "x-extra": [1, 2.5]},
        is_public=True,
        allow_search_indexing=True,
        theme="compact",
    )
    without_images = ResumeFactory(owner=owner, title="Plain", summary="")
    return [Resume.objects.get(pk=with_images.pk), Resume.objects.get(pk=without_images.pk)]


def items(data: dict[str, Any]) -> list[tuple[str, Any]]:
    return list(data.items())


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/St_Johns"])
def test_a_resume_is_represented_as_drf_represents_it(resumes, zone):
    request = request_for()
    with timezone.override(zone):
        for resume in resumes:
            ours = ResumeSerializer(resume, context={"request": request}).data
            drf = DRFResume(resume, context={"request": request}).data
            assert items(ours) == items(drf)
    assert ours["created_at"] != resume.created_at.isoformat()  # a string DRF's way


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/St_Johns"])
def test_list_rows_are_represented_as_drf_represents_the_models(resumes, zone):
    owner = resumes[0].owner
    # A datetime without microseconds, which isoformat writes without a fraction.
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    Resume.objects.filter(pk=resumes[1].pk).update(updated_at=moment)
    request = request_for()
    rows = list(resume_list(owner=owner))
    models = list(owner.resumes.all())
    assert (
        [row["id"] for row in rows]
        == [resume.pk for resume in models]
        == [
            resumes[1].pk,
            resumes[0].pk,
        ]
    )
    context = {"request": request, "owner": owner.username}
    with timezone.override(zone):
        ours = ResumeListItemSerializer(rows, many=True, context=context).data
        drf = DRFResumeListItem(models, many=True, context={"request": request}).data
        assert ResumeListItemSerializer(rows[0], context=context).data == drf[0]
    assert [items(item) for item in ours] == [items(item) for item in drf]
    assert ours[-1]["image"] and ours[-1]["share_url"].startswith("http://testserver/r/")
    assert ours[0]["updated_at"] == timezone.localtime(moment, ZoneInfo(zone)).isoformat().replace(
        "+00:00", "Z"
    )


def test_local_disk_urls_are_made_absolute_as_drf_makes_them(local_disk, resumes):
    request = request_for("testserver:8000")
    for resume in resumes:
        ours = ResumeSerializer(resume, context={"request": request}).data
        assert items(ours) == items(DRFResume(resume, context={"request": request}).data)
    assert ours["share_url"].startswith("http://testserver:8000/r/")
    first = ResumeSerializer(resumes[0], context={"request": request}).data
    assert first["image"].startswith("http://testserver:8000/media/resumes/")


def test_share_urls_follow_the_script_prefix(resumes):
    request = request_for()
    urls = {}
    try:
        for prefix in ("/", "/behind/a/proxy/", "/"):
            set_script_prefix(prefix)
            ours = ResumeSerializer(resumes[0], context={"request": request}).data
            drf = DRFResume(resumes[0], context={"request": request}).data
            assert ours["share_url"] == drf["share_url"]
            urls[prefix] = ours["share_url"]
    finally:
        set_script_prefix("/")
    assert urls["/behind/a/proxy/"] == urls["/"].replace("/r/", "/behind/a/proxy/r/")
