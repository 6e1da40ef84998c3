"""api.queries.PreparedQuery: the ORM's SQL, compiled once per database, run with new ids."""

import pytest
from django.db.models import F

from api.queries import PreparedQuery
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
