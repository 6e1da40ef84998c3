"""The declarations of stored files: one per kind, read by the orphan sweep and by claims."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from exports.attachments import EXPORT
from exports.models import AccountExport
from pdfs.attachments import RESUME_PDF
from pdfs.models import ResumePDF
from profiles.attachments import AVATAR
from profiles.models import Profile
from resumes.attachments import RESUME_IMAGE
from resumes.models import Resume
from storage.attachments import (
    ImageAttachment,
    attachment_for_purpose,
    names_owned_by,
    register,
    registered,
)
from uploads.attachments import STAGED_UPLOADS
from uploads.models import StagedUpload


def test_each_app_registers_its_declaration():
    assert registered() == [AVATAR, EXPORT, RESUME_PDF, RESUME_IMAGE, STAGED_UPLOADS]


def test_an_image_attachment_names_its_columns_after_its_field():
    assert (RESUME_IMAGE.name_fields, RESUME_IMAGE.key_field) == (
        ("image", "image_thumbnail"),
        "image_key",
    )
    assert (AVATAR.name_fields, AVATAR.key_field) == (("avatar", "avatar_thumbnail"), "avatar_key")


def test_a_file_attachment_names_its_one_column():
    assert (RESUME_PDF.name_fields, RESUME_PDF.prefix) == (("file",), "pdfs")


def test_upload_purposes_lead_to_their_attachment():
    assert attachment_for_purpose("resume-image") is RESUME_IMAGE
    assert attachment_for_purpose("avatar") is AVATAR
    with pytest.raises(LookupError):
        attachment_for_purpose("cv")


def test_a_prefix_belongs_to_one_declaration():
    register(RESUME_IMAGE)  # the same declaration again is harmless
    other = ImageAttachment(
        model=Profile, field="avatar", prefix="resumes", owner_lookup="user", upload_purpose="x"
    )

    with pytest.raises(ImproperlyConfigured, match="share the prefix 'resumes'"):
        register(other)


def staged(user, name: str, **changes) -> StagedUpload:
    expires_at = timezone.now() + timedelta(minutes=5)
    return StagedUpload.objects.create(
        **{"expires_at": expires_at, **changes},
        owner=user,
        key=f"uploads/{user.id}/{name}",
        purpose="avatar",
        content_type="image/jpeg",
        declared_size=1,
    )


@pytest.mark.django_db
def test_referenced_names_are_the_declared_columns_of_live_rows(user):
    Resume.objects.create(owner=user, title="a", image="resumes/a.jpg", image_thumbnail="t.jpg")
    Resume.objects.create(owner=user, title="none")
    claimable = staged(user, "a.jpg")
    staged(user, "claimed.jpg", claimed_at=timezone.now())
    staged(user, "expired.jpg", expires_at=timezone.now())

    assert sorted(RESUME_IMAGE.referenced_names()) == ["resumes/a.jpg", "t.jpg"]
    assert list(AVATAR.referenced_names()) == []
    assert list(STAGED_UPLOADS.referenced_names()) == [claimable.key]


@pytest.mark.django_db
def test_expired_exports_are_not_referenced(user):
    now, ready = timezone.now(), AccountExport.Status.READY
    AccountExport.objects.create(user=user, file="exports/1/pending.zip")
    AccountExport.objects.create(
        user=user, status=ready, file="exports/1/live.zip", expires_at=now + timedelta(hours=1)
    )
    AccountExport.objects.create(
        user=user, status=ready, file="exports/1/expired.zip", expires_at=now
    )

    assert sorted(EXPORT.referenced_names()) == ["exports/1/live.zip", "exports/1/pending.zip"]


@pytest.mark.django_db
def test_a_user_owns_the_names_every_row_of_theirs_holds_in_use_or_not(user, other_user):
    mine = Resume.objects.create(owner=user, title="a", image="resumes/a.jpg", image_thumbnail="")
    Resume.objects.create(owner=other_user, title="b", image="resumes/b.jpg")
    Profile.objects.filter(user=user).update(
        avatar="avatars/a.png", avatar_thumbnail="avatars/t.png"
    )
    ResumePDF.objects.create(resume=mine, theme="classic", file="pdfs/a.pdf", pages=1, size=1)
    staged(user, "claimed.jpg", claimed_at=timezone.now())
    staged(other_user, "theirs.jpg")
    AccountExport.objects.create(user=user, file="exports/1/expired.zip", expires_at=timezone.now())

    with transaction.atomic():
        owned = names_owned_by(user.pk)

    assert sorted(owned) == [
        "avatars/a.png",
        "avatars/t.png",
        "exports/1/expired.zip",
        "pdfs/a.pdf",
        "resumes/a.jpg",
        f"uploads/{user.id}/claimed.jpg",
    ]
