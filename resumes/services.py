from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from images.processing import SanitizedImage
from images.storage import UNCHANGED, image_write, set_image, update_with_image
from resumes.json_resume import title_for_document
from resumes.models import Resume, new_share_slug
from uploads.models import UploadPurpose
from uploads.services import staged_upload_claim

IMAGE_PREFIX = "resumes"
IMPORTED_TITLE = "Imported résumé"


def resume_create(
    *,
    owner: AbstractBaseUser,
    image: SanitizedImage | None = None,
    image_key: str | None = None,
    **fields: Any,
) -> Resume:
    if image_key is not None:
        image = staged_upload_claim(
            owner_id=owner.pk, key=image_key, purpose=UploadPurpose.RESUME_IMAGE
        )
    with image_write(image, prefix=IMAGE_PREFIX) as stored:
        resume = Resume(owner=owner, **fields)
        set_image(resume, "image", stored)
        resume.save()
    return resume


def resume_update(
    resume: Resume,
    *,
    image: SanitizedImage | None = UNCHANGED,
    image_key: str | None = None,
    **fields: Any,
) -> Resume:
    if image_key is not None:
        image = staged_upload_claim(
            owner_id=resume.owner_id, key=image_key, purpose=UploadPurpose.RESUME_IMAGE
        )
    update_with_image(
        resume,
        field="image",
        image=image,
        prefix=IMAGE_PREFIX,
        fields=fields,
    )
    return resume


@transaction.atomic
def resume_delete(resume: Resume) -> None:
    set_image(resume, "image", None)  # locks the row; its objects go after commit
    resume.delete()


def resume_create_from_document(*, owner: AbstractBaseUser, document: dict[str, Any]) -> Resume:
    """A new résumé holding a validated JSON Resume document, titled from its basics."""
    title_length = Resume._meta.get_field("title").max_length
    return resume_create(
        owner=owner,
        title=title_for_document(document, default=IMPORTED_TITLE, max_length=title_length),
        summary=document.get("basics", {}).get("summary", ""),
        content=document,
    )


def resume_regenerate_share_slug(resume: Resume) -> Resume:
    """Give the résumé a new share slug: the old public link stops working at once."""
    resume.share_slug = new_share_slug()
    resume.save(update_fields=["share_slug", "updated_at"])
    return resume
