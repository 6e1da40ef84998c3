"""api.queries: the ORM's SQL, compiled once per database, run with new ids (PreparedQuery:
one row; PreparedRows: pages of values() rows)."""

import pytest
from django.core.paginator import Paginator
from django.db.models import F

from api.queries import PreparedQuery, PreparedRows
from resumes.models import Resume
from tests.factories import ResumeFactory, UserFactory
from users.models import User

pytestmark = pytest.mark.django_db


def owned(owner_id: int, resume_id: int):
    return Resume.objects.filter(owner_id=owner_id, pk=resume_id).annotate(
        owner_username=F("owner__username")
    )


def test_it_reads_the_row_the_queryset_reads_with_its_annotations():
    resume = ResumeFactory(title="Prepared", content={"b": 1, "a": 2})
    query = PreparedQuery(owned, "owner_id", "resume_id")

    found = query.first(owner_id=resume.owner_id, resume_id=resume.pk)

    expected = owned(resume.owner_id, resume.pk).get()
    assert (found.pk, found.title, found.created_at, found.content) == (
        expected.pk,
        expected.title,
        expected.created_at,
        expected.content,
    )
    assert found.owner_username == resume.owner.username
    assert list(found.content) == ["b", "a"]  # the field's own converter ran


def test_it_compiles_once_and_answers_for_the_ids_of_each_call(django_assert_num_queries):
    first, second = ResumeFactory(), ResumeFactory()
    built = []
    counting = PreparedQuery(
        lambda **ids: built.append(ids) or owned(**ids), "owner_id", "resume_id"
    )

    for resume in (first, second, first):
        with django_assert_num_queries(1):
            found = counting.first(owner_id=resume.owner_id, resume_id=resume.pk)
        assert found.pk == resume.pk
    assert counting.first(owner_id=second.owner_id, resume_id=first.pk) is None

    assert len(built) == 2  # once for the model, once compiled for the database


@pytest.mark.parametrize("huge", [2**63, -(2**63) - 1, 10**30])
def test_an_id_beyond_a_big_integer_is_no_row_and_no_query(huge, django_assert_num_queries):
    query = PreparedQuery(lambda user_id: User.objects.filter(pk=user_id), "user_id")
    user = UserFactory()
    assert query.first(user_id=user.pk) == user

    with django_assert_num_queries(0):
        assert query.first(user_id=huge) is None


def test_a_query_that_does_not_take_an_id_is_refused():
    query = PreparedQuery(lambda user_id: User.objects.filter(is_active=True), "user_id")

    with pytest.raises(ValueError, match="must take each of"):
        query.first(user_id=1)


def test_a_query_of_related_rows_is_refused():
    query = PreparedQuery(
        lambda resume_id: Resume.objects.filter(pk=resume_id).select_related("owner"),
        "resume_id",
    )

    with pytest.raises(ValueError, match="one model's own rows"):
        query.first(resume_id=1)


def test_deferred_fields_load_when_read_as_the_orms_do(django_assert_num_queries):
    resume = ResumeFactory(title="Deferred", summary="Loaded later")
    query = PreparedQuery(
        lambda resume_id: Resume.objects.filter(pk=resume_id).only("title"), "resume_id"
    )

    with django_assert_num_queries(1):
        found = query.first(resume_id=resume.pk)
    assert found.title == "Deferred"
    assert "summary" in found.get_deferred_fields()
    with django_assert_num_queries(1):
        assert found.summary == "Loaded later"


def test_text_values_are_parameters_too(django_assert_num_queries):
    kept = ResumeFactory(theme="classic", title="Kept")
    ResumeFactory(owner=kept.owner, theme="compact", title="Other")
    query = PreparedQuery(
        lambda owner_id, theme: Resume.objects.filter(owner_id=owner_id, theme=theme),
        "owner_id",
        texts=("theme",),
    )

    assert query.first(owner_id=kept.owner_id, theme="classic").title == "Kept"
    assert query.first(owner_id=kept.owner_id, theme="compact").title == "Other"
    assert query.first(owner_id=kept.owner_id, theme="x' OR '1'='1") is None


# --- PreparedRows --------------------------------------------------------------------------

COLUMNS = ("id", "title", "is_public", "image", "content", "created_at", "updated_at")


def owners_rows(owner_id: int):
    return Resume.objects.filter(owner_id=owner_id).values(*COLUMNS).order_by("title", "id")


def test_rows_are_the_querysets_values_rows_converted_by_the_fields():
    owner = UserFactory()
    ResumeFactory(owner=owner, title="B", is_public=True, content={"z": 1, "a": [1]})
    ResumeFactory(owner=owner, title="A", image="resumes/images/a.jpg")
    ResumeFactory(title="Someone else's")
    rows = PreparedRows(owners_rows, "owner_id").rows(owner_id=owner.pk)

    assert rows.count() == 2
    page = rows[0:10]
    assert page == list(owners_rows(owner.pk))
    assert [type(row["is_public"]) for row in page] == [bool, bool]  # SQLite's 0/1 converted
    assert page[0]["created_at"].tzinfo is not None
    assert list(page[1]["content"]) == ["z", "a"]  # the JSON field's own converter


@pytest.mark.parametrize("use_tz", [True, False])
def test_datetimes_are_the_orms_with_time_zones_on_or_off(settings, use_tz):
    settings.USE_TZ = use_tz
    resume = ResumeFactory()
    prepared = PreparedRows(owners_rows, "owner_id")

    for _ in range(2):  # converters looked up for each setting, not kept from the other
        settings.USE_TZ = use_tz
        (row,) = prepared.rows(owner_id=resume.owner_id)[0:1]
        (expected,) = owners_rows(resume.owner_id)
        assert (row["created_at"], row["updated_at"]) == (
            expected["created_at"],
            expected["updated_at"],
        )
        assert (row["created_at"].tzinfo is not None) is use_tz
        use_tz = not use_tz


def test_pages_are_the_querysets_slices(django_assert_num_queries):
    owner = UserFactory()
    for title in "EDCBA":
        ResumeFactory(owner=owner, title=title)
    rows = PreparedRows(owners_rows, "owner_id").rows(owner_id=owner.pk)
    rows.count()  # compiled
    expected = list(owners_rows(owner.pk)[4:9])

    with django_assert_num_queries(2):
        assert [row["title"] for row in rows[1:3]] == ["B", "C"]
        assert rows[4:9] == expected
    assert rows[3:3] == []
    assert rows[3:] == list(owners_rows(owner.pk)[3:])
    assert list(rows) == list(owners_rows(owner.pk))


def test_djangos_paginator_pages_them(django_assert_num_queries):
    owner = UserFactory()
    for title in "CBA":
        ResumeFactory(owner=owner, title=title)
    prepared = PreparedRows(owners_rows, "owner_id")
    prepared.rows(owner_id=owner.pk).count()

    with django_assert_num_queries(2):  # the count, then the page
        page = Paginator(prepared.rows(owner_id=owner.pk), 2).page(2)
        assert [row["title"] for row in page] == ["C"]
    assert (page.paginator.count, page.paginator.num_pages, page.has_previous()) == (3, 2, True)


@pytest.mark.parametrize("huge", [2**63, -(2**63) - 1])
def test_rows_of_an_id_beyond_a_big_integer_are_none_and_no_query(huge, django_assert_num_queries):
    rows = PreparedRows(owners_rows, "owner_id").rows(owner_id=huge)

    with django_assert_num_queries(0):
        assert (rows.count(), rows[0:10]) == (0, [])


@pytest.mark.parametrize(
    "build",
    [
        lambda owner_id: Resume.objects.filter(owner_id=owner_id).values("id").order_by(),
        lambda owner_id: Resume.objects.filter(owner_id=owner_id).order_by("id"),  # instances
        lambda owner_id: owners_rows(owner_id)[:5],  # sliced already
    ],
)
def test_only_ordered_unsliced_values_querysets_are_paged(build):
    with pytest.raises(ValueError, match="PreparedRows pages"):
        PreparedRows(build, "owner_id").rows(owner_id=1).count()


@pytest.mark.parametrize("index", [0, slice(0, 10, 2), slice(-1, 10), slice(0, -1)])
def test_rows_are_read_a_whole_page_at_a_time(index):
    rows = PreparedRows(owners_rows, "owner_id").rows(owner_id=1)

    with pytest.raises((TypeError, ValueError)):
        rows[index]
