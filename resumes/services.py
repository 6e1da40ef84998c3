from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files import File
from django.db import transaction

from pdfs.services import pdf_delete_all, pdf_render_enqueue
from presentation.themes import DEFAULT_THEME, themes
from resumes.attachments import RESUME_IMAGE
from resumes.json_resume import title_for_document
from resumes.models import Resume, new_share_slug
from storage.services import UNCHANGED, image_attach, image_write, update_with_image
from uploads.services import incoming_image

IMPORTED_TITLE = "Imported résumé"


def resume_create(
    *,
    owner: AbstractBaseUser,
    title: str,
    summary: str = "",
    content: dict[str, Any] | None = None,
    is_public: bool = False,
    theme: str = DEFAULT_THEME,
    allow_search_indexing: bool = False,
    image: File | None = None,
    image_key: str | None = None,
) -> Resume:
    """A new résumé; its image is a file (`image`) or a direct upload's key (`image_key`)."""
    new_image = incoming_image(RESUME_IMAGE, owner_id=owner.pk, file=image, key=image_key)
    with image_write(RESUME_IMAGE, new_image) as stored:
        resume = Resume(
            owner=owner,
            title=title,
            summary=summary,
            content=content or {},
            is_public=is_public,
            theme=theme,
            allow_search_indexing=allow_search_indexing,
        )
        image_attach(resume, RESUME_IMAGE, stored)
        resume.save()
    _render_if_public(resume)
    return resume


def _render_if_public(resume: Resume) -> None:
    """A public résumé's PDF (in its theme) is rendered as soon as it changes, so that it is
    ready before anyone asks for it; the render of an unchanged state is a no-op."""
    if resume.is_public:
        pdf_render_enqueue(resume=resume)


def resume_update(
    resume: Resume,
    *,
    title: str = UNCHANGED,
    summary: str = UNCHANGED,
    content: dict[str, Any] = UNCHANGED,
    is_public: bool = UNCHANGED,
    theme: str = UNCHANGED,
    allow_search_indexing: bool = UNCHANGED,
    image: File | None = UNCHANGED,
    image_key: str | None = None,
) -> Resume:
    """Change the arguments given (UNCHANGED: not sent); `image=None` removes the image."""
    new_image = incoming_image(RESUME_IMAGE, owner_id=resume.owner_id, file=image, key=image_key)
    fields = {
        "title": title,
        "summary": summary,
        "content": content,
        "is_public": is_public,
        "theme": theme,
        "allow_search_indexing": allow_search_indexing,
    }
    update_with_image(resume, attachment=RESUME_IMAGE, image=new_image, fields=fields)
    _render_if_public(resume)
    return resume


@transaction.atomic
def resume_delete(resume: Resume) -> None:
    image_attach(resume, RESUME_IMAGE, None)  # locks the row; its objects go after commit
    pdf_delete_all(resume=resume)
    resume.delete()


def resume_create_from_document(*, owner: AbstractBaseUser, document: dict[str, Any]) -> Resume:
    """A new résumé holding a validated JSON Resume document, titled from its basics, in
    the theme meta.theme names if it is one of ours (JSON Resume's tools name theirs there)."""
    title_length = Resume._meta.get_field("title").max_length
    named = document.get("meta", {}).get("theme")
    return resume_create(
        owner=owner,
        title=title_for_document(document, default=IMPORTED_TITLE, max_length=title_length),
        summary=document.get("basics", {}).get("summary", ""),
        content=document,
        theme=named if isinstance(named, str) and named in themes() else DEFAULT_THEME,
    )


def resume_regenerate_share_slug(resume: Resume) -> Resume:
    """Give the résumé a new share slug: the old public link stops working at once."""
    resume.share_slug = new_share_slug()
    resume.save(update_fields=["share_slug", "updated_at"])
    return resume
