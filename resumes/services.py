from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from images.processing import SanitizedImage
from images.storage import UNCHANGED, image_write, set_image
from resumes.models import Resume
from uploads.models import StagedUpload
from uploads.services import staged_upload_consume

IMAGE_PREFIX = "resumes"


def resume_create(
    *,
    owner: AbstractBaseUser,
    image: SanitizedImage | None = None,
    staged_upload: StagedUpload | None = None,
    **fields: Any,
) -> Resume:
    with image_write(image, prefix=IMAGE_PREFIX, owner_id=owner.pk) as stored:
        resume = Resume(owner=owner, **fields)
        set_image(resume, "image", stored)
        if staged_upload is not None:
            staged_upload_consume(staged_upload)
        resume.save()
    return resume


def resume_update(
    resume: Resume,
    *,
    image: SanitizedImage | None = UNCHANGED,
    staged_upload: StagedUpload | None = None,
    **fields: Any,
) -> Resume:
    new_image = image if image is not UNCHANGED else None
    with image_write(new_image, prefix=IMAGE_PREFIX, owner_id=resume.owner_id) as stored:
        if image is not UNCHANGED:
            set_image(resume, "image", stored)
        if staged_upload is not None:
            staged_upload_consume(staged_upload)
        for name, value in fields.items():
            setattr(resume, name, value)
        resume.save()
    return resume


@transaction.atomic
def resume_delete(resume: Resume) -> None:
    set_image(resume, "image", None)  # locks the row; its objects go after commit
    resume.delete()
