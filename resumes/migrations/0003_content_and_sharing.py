# Existing résumés each need their own share slug: AddField would give every row the same
# default, which a unique column refuses. So: add it nullable, fill it row by row, then
# make it unique and required, as the model declares it.

import secrets

from django.db import migrations, models

import resumes.models


def fill_share_slugs(apps, schema_editor):
    Resume = apps.get_model("resumes", "Resume")
    for resume in Resume.objects.filter(share_slug__isnull=True).only("pk").iterator():
        Resume.objects.filter(pk=resume.pk).update(share_slug=secrets.token_urlsafe(16))


class Migration(migrations.Migration):
    dependencies = [
        ("resumes", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="resume",
            name="content",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="resume",
            name="is_public",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="resume",
            name="share_slug",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(fill_share_slugs, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="resume",
            name="share_slug",
            field=models.CharField(
                default=resumes.models.new_share_slug,
                editable=False,
                max_length=32,
                unique=True,
            ),
        ),
    ]
