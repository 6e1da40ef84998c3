"""Résumé rules (resumes/services.py), called as the views call them."""

import pytest

from resumes.json_resume import title_for_document
from resumes.models import Resume
from resumes.services import (
    IMPORTED_TITLE,
    resume_create,
    resume_create_from_document,
    resume_delete,
    resume_regenerate_share_slug,
    resume_update,
)
from tests.factories import ResumeFactory

pytestmark = pytest.mark.django_db


def test_a_resume_is_created_private_with_its_own_share_slug(user, bucket):
    resume = resume_create(owner=user, title="Engineer", summary="Engines")

    stored = Resume.objects.get()
    assert (stored.owner, stored.title, stored.summary) == (user, "Engineer", "Engines")
    assert stored.pk == resume.pk
    assert stored.is_public is False and stored.content == {}
    assert len(stored.share_slug) == 22
    assert not stored.image and bucket.object_keys() == []


def test_an_update_without_an_image_changes_only_the_given_fields(bucket):
    resume = ResumeFactory(title="Old", summary="Keep me")

    resume_update(resume, title="New")

    resume.refresh_from_db()
    assert (resume.title, resume.summary) == ("New", "Keep me")
    assert bucket.object_keys() == []


def test_deleting_a_resume_without_an_image_removes_only_its_row(bucket):
    doomed, kept = ResumeFactory(), ResumeFactory()

    resume_delete(doomed)

    assert list(Resume.objects.all()) == [kept]


def test_an_imported_document_is_stored_whole_and_titled_from_its_basics(user):
    document = {"basics": {"name": "Ada Lovelace", "label": "Analyst", "summary": "Notes."}}

    resume = resume_create_from_document(owner=user, document=document)

    stored = Resume.objects.get(pk=resume.pk)
    assert stored.title == "Ada Lovelace – Analyst"
    assert stored.summary == "Notes."
    assert stored.content == document


def test_a_document_without_a_name_or_label_gets_the_default_title(user):
    resume = resume_create_from_document(owner=user, document={"work": []})

    assert Resume.objects.get(pk=resume.pk).title == IMPORTED_TITLE


def test_a_title_from_the_basics_is_cut_to_the_column():
    document = {"basics": {"name": "N" * 150, "label": "L" * 150}}

    title = title_for_document(document, default="x", max_length=200)

    assert title == ("N" * 150 + " – " + "L" * 150)[:200]
    assert title_for_document({"basics": {"name": "  "}}, default="x", max_length=200) == "x"


def test_a_new_share_slug_replaces_the_old_one_at_once():
    resume = ResumeFactory(is_public=True)
    old_slug, old_updated_at = resume.share_slug, resume.updated_at

    resume_regenerate_share_slug(resume)

    stored = Resume.objects.get()
    assert stored.share_slug != old_slug and len(stored.share_slug) == 22
    assert stored.is_public is True
    assert stored.updated_at > old_updated_at
    assert not Resume.objects.filter(share_slug=old_slug).exists()
