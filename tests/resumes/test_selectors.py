"""resumes.selectors: what the views read."""

import pytest
from django.db.models import Model

from resumes.models import Resume
from resumes.selectors import resume_find
from tests.factories import ResumeFactory, UserFactory

pytestmark = pytest.mark.django_db

COLUMN_LIMIT = 2**63


def field_values(instance: Model) -> dict:
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
    }


def test_resume_find_reads_what_the_orm_reads():
    resume = ResumeFactory(
        title="Engineer",
        summary="Builds things.",
        content={"basics": {"name": "Ada"}, "work": []},
        is_public=True,
    )

    found = resume_find(owner_id=resume.owner_id, resume_id=resume.pk)

    assert field_values(found) == field_values(Resume.objects.get(pk=resume.pk))
    assert list(found.content) == ["basics", "work"]
    assert found.created_at.tzinfo is not None


def test_resume_find_reads_the_owners_row_with_it(django_assert_num_queries):
    resume = ResumeFactory()

    with django_assert_num_queries(1):
        found = resume_find(owner_id=resume.owner_id, resume_id=resume.pk)
        assert (found.owner.pk, found.owner.username) == (resume.owner.pk, resume.owner.username)
        assert found.owner.is_active is True

    # What it did not read loads when asked, as with QuerySet.only().
    with django_assert_num_queries(1):
        assert found.owner.email == resume.owner.email


def test_resume_find_sees_a_deactivated_owner():
    resume = ResumeFactory(owner=UserFactory(is_active=False))

    assert resume_find(owner_id=resume.owner_id, resume_id=resume.pk).owner.is_active is False


def test_resume_find_finds_no_one_elses_resume():
    resume = ResumeFactory()
    someone = UserFactory()

    assert resume_find(owner_id=someone.pk, resume_id=resume.pk) is None
    assert resume_find(owner_id=resume.owner_id, resume_id=resume.pk + 1000) is None


@pytest.mark.parametrize("huge", [COLUMN_LIMIT, 10**30])
def test_resume_find_answers_none_for_ids_beyond_the_columns_range(huge):
    resume = ResumeFactory()

    assert resume_find(owner_id=resume.owner_id, resume_id=huge) is None
    assert resume_find(owner_id=huge, resume_id=resume.pk) is None


def test_resume_find_writes_back_like_any_instance():
    resume = ResumeFactory(title="Before")

    found = resume_find(owner_id=resume.owner_id, resume_id=resume.pk)
    found.title = "After"
    found.save(update_fields=["title"])

    assert Resume.objects.get(pk=resume.pk).title == "After"


@pytest.mark.parametrize("ordering", ["", "-created_at", "created_at"])
def test_the_list_is_read_in_its_index_order_without_a_sort(ordering):
    from django.db import connection

    from resumes.selectors import _owner_resumes

    owner = UserFactory()
    ResumeFactory.create_batch(3, owner=owner)
    sql, params = _owner_resumes(owner.pk, ordering).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Its planner scans a table this small whole; the question is whether it can
            # take the rows in order from the index.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql} LIMIT 100", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql} LIMIT 100", params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())

    assert "resume_owner_order_idx" in plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan
