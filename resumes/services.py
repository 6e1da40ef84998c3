from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from images.storage import assign_image, delete_after_commit
from resumes.models import Resume


@transaction.atomic
def resume_create(*, owner: AbstractBaseUser, **fields: Any) -> Resume:
    return Resume.objects.create(owner=owner, **fields)


@transaction.atomic
def resume_update(resume: Resume, **fields: Any) -> Resume:
    if "image" in fields:
        assign_image(resume, "image", fields.pop("image"))
    for name, value in fields.items():
        setattr(resume, name, value)
    resume.save()
    return resume


@transaction.atomic
def resume_delete(resume: Resume) -> None:
    delete_after_commit(resume.image)
    resume.delete()
