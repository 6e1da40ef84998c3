"""Data migrations of the résumé table, run forward on rows written before them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_migration_gives_every_existing_resume_its_own_slug(user):
    before = [("resumes", "0002_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_resume_model = executor.loader.project_state(before).apps.get_model("resumes", "Resume")
    for title in ("One", "Two", "Three"):
        old_resume_model.objects.create(owner_id=user.pk, title=title)
    try:
        after = [("resumes", "0003_content_and_sharing")]
        executor = MigrationExecutor(connection)
        executor.migrate(after)

        # The model as that migration leaves it: later migrations add columns.
        migrated_model = executor.loader.project_state(after).apps.get_model("resumes", "Resume")
        resumes = list(migrated_model.objects.all())
        assert len({resume.share_slug for resume in resumes}) == 3
        assert all(len(resume.share_slug) == 22 for resume in resumes)
        assert all(resume.content == {} and resume.is_public is False for resume in resumes)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_content_written_before_it_kept_its_key_order_survives_the_change(user):
    before = [("resumes", "0004_theme_and_indexing")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_resume_model = executor.loader.project_state(before).apps.get_model("resumes", "Resume")
    document = {"work": [{"name": "Engine", "startDate": "1842"}], "basics": {"name": "Ada"}}
    old_resume_model.objects.create(owner_id=user.pk, title="Ada", content=document)
    try:
        after = [("resumes", "0005_content_keeps_key_order")]
        executor = MigrationExecutor(connection)
        executor.migrate(after)

        migrated_model = executor.loader.project_state(after).apps.get_model("resumes", "Resume")
        # Equal as a value (jsonb may have sorted its keys; the text now keeps what it got).
        assert migrated_model.objects.get().content == document
        migrated_model.objects.update(content=document)
        assert list(migrated_model.objects.get().content) == ["work", "basics"]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
