import re
from functools import partial, reduce
from operator import and_
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from api.expressions import DateTimeText
from api.queries import PreparedQuery, PreparedRows, PreparedRowsOf
from resumes.models import Resume
from users.models import User

RESUME_ORDERING_FIELDS = ("created_at", "updated_at", "title")
RESUME_ORDERINGS = tuple(f"{sign}{field}" for field in RESUME_ORDERING_FIELDS for sign in ("", "-"))
# The columns of a list row (resumes.serializers.ResumeListItemSerializer shows them), and
# its datetimes, written by the database as the API writes them.
RESUME_LIST_COLUMNS = (
    "id",
    "title",
    "summary",
    "image",
    "image_thumbnail",
    "is_public",
    "theme",
    "allow_search_indexing",
    "share_slug",
)
RESUME_LIST_DATETIMES = {
    "created_at_text": DateTimeText("created_at"),
    "updated_at_text": DateTimeText("updated_at"),
}
# The alphabet of secrets.token_urlsafe(), at most the column's length.
SHARE_SLUG_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def resume_list(
    *, owner: AbstractBaseUser, search: str = "", ordering: str = ""
) -> "PreparedRowsOf | QuerySet[Resume, dict[str, Any]]":
    """The owner's résumés as rows of RESUME_LIST_COLUMNS and RESUME_LIST_DATETIMES (not
    content, which the list does not show), for Django's Paginator; every search term must
    appear in the title or the summary. `ordering`: one of RESUME_ORDERINGS ("" for the
    model's)."""
    terms = search.split()
    if not terms:
        return _RESUME_LISTS[ordering].rows(owner_id=owner.pk)
    # A search compiles its query each time: icontains rewrites its terms into patterns,
    # which a prepared query's parameters cannot stand for.
    return _owner_resumes(owner.pk, ordering).filter(
        reduce(and_, (Q(title__icontains=t) | Q(summary__icontains=t) for t in terms))
    )


def _owner_resumes(owner_id: int, ordering: str) -> QuerySet[Resume, dict[str, Any]]:
    # Rows, not model instances: building those was a fifth of a page's CPU.
    resumes = Resume.objects.filter(owner_id=owner_id).values(
        *RESUME_LIST_COLUMNS, **RESUME_LIST_DATETIMES
    )
    if ordering:
        # The id keeps pages stable when the ordered values tie.
        resumes = resumes.order_by(ordering, "-id" if ordering.startswith("-") else "id")
    return resumes


_RESUME_LISTS = {
    ordering: PreparedRows(partial(_owner_resumes, ordering=ordering), "owner_id")
    for ordering in ("", *RESUME_ORDERINGS)
}


def resume_get(*, owner: AbstractBaseUser, resume_id: int) -> Resume:
    """One of the owner's résumés; anyone else's is indistinguishable from a missing one (404)."""
    return get_object_or_404(owner.resumes, pk=resume_id)


def resume_find(
    *, owner_id: int, resume_id: int, query: PreparedQuery[Resume] | None = None
) -> Resume | None:
    """One of the owner's résumés with its owner's row (id, username, is_active: what a
    response and users.authentication.require_account read; the rest loads if asked), in one
    query; None if there is none. `query`: one that reads more with it (owned_resumes()
    annotated further), for a view that needs more."""
    resume = (query or _owned_resume).first(owner_id=owner_id, resume_id=resume_id)
    if resume is not None:
        resume.owner = User.from_db(
            resume._state.db,
            ["id", "username", "is_active"],
            [resume.owner_id, resume.owner_username, bool(resume.owner_is_active)],
        )
    return resume


def owned_resumes(owner_id: int, resume_id: int) -> QuerySet[Resume]:
    """resume_find's queryset: the résumé with its owner's columns."""
    return (
        Resume.objects.filter(owner_id=owner_id, pk=resume_id)
        .annotate(owner_username=F("owner__username"), owner_is_active=F("owner__is_active"))
        .order_by()
    )


_owned_resume = PreparedQuery(owned_resumes, "owner_id", "resume_id")


def _public_resume_by_slug(share_slug: str) -> QuerySet[Resume]:
    return Resume.objects.filter(is_public=True, share_slug=share_slug)


def _public_resumes(share_slug: str) -> QuerySet[Resume]:
    if not SHARE_SLUG_SHAPE.fullmatch(share_slug):
        # Never a slug we issued; and some databases refuse to compare odd text (NUL).
        return Resume.objects.none()
    return _public_resume_by_slug(share_slug)


# The public page, its PDF and its JSON read it: compiling the query was most of a cached
# page's CPU.
_public_resume = PreparedQuery(_public_resume_by_slug, texts=("share_slug",))


def resume_get_public(*, share_slug: str) -> Resume:
    """A public résumé by its share slug; a private one is indistinguishable from none (404)."""
    resume = None
    if SHARE_SLUG_SHAPE.fullmatch(share_slug):  # as _public_resumes
        resume = _public_resume.first(share_slug=share_slug)
    if resume is None:
        raise Http404("No Resume matches the given query.")
    return resume


def resume_public_image_url(*, share_slug: str, field: str, expire_seconds: int) -> str:
    """A URL of the stored image (`field`: image or image_thumbnail) of a public résumé, valid
    for `expire_seconds` where URLs are signed; the résumé is read at each call. 404 when it
    is not public (any more) or has no image."""
    resume = get_object_or_404(_public_resumes(share_slug).only(field))
    image = getattr(resume, field)
    if not image:
        raise Http404("This résumé has no image.")
    return image.storage.signed_url(image.name, expire_seconds)
