"""An account holding one of everything the service stores, and what it holds as the
database and the bucket list it: for account deletion and export tests."""

from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from django.test import Client, TestCase
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from exports.models import AccountExport
from exports.services import export_request
from pdfs.models import ResumePDF
from pdfs.services import pdf_render_and_store
from profiles.models import Profile
from profiles.services import profile_update
from resumes.models import Resume
from resumes.services import resume_create
from tests.support.api import client_for
from tests.support.s3 import Bucket
from tests.support.uploads import image_bytes, image_upload, issue, put_staged
from uploads.models import StagedUpload
from users.models import User

CONTENT = {
    "basics": {"name": "Ada Lovelace", "label": "Analyst", "email": "ada@example.com"},
    "work": [{"name": "Analytical Engine", "position": "Analyst", "startDate": "1842-10"}],
}


@dataclass(frozen=True)
class Holdings:
    """What an account holds beside its rows: the jtis of its refresh tokens."""

    user_id: int
    username: str
    token_ids: list[str]


def fill_account(user: User, bucket: Bucket) -> Holdings:
    """Give `user` two résumés with images (and thumbnails), one without, an avatar, a stored
    PDF, a direct upload in the bucket, a ready export, two refresh tokens (one revoked) and
    failed logins; returns what rows cannot tell of it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        with_photo = resume_create(
            owner=user, title="Ada Lovelace – Analyst", content=CONTENT, image=image_upload()
        )
        resume_create(
            owner=user,
            title="Second draft",
            summary="Shorter",
            image=image_upload("p.png", "PNG", "image/png", color="orange"),
        )
        resume_create(owner=user, title="No photo", content={"basics": {"name": "Ada"}})
        profile_update(
            Profile.objects.get(user=user),
            display_name="Ada",
            avatar=image_upload("a.webp", "WEBP", "image/webp", color="navy"),
        )
        pdf_render_and_store(resume_id=with_photo.pk, theme="classic")
        put_staged(bucket, issue(client_for(user)), image_bytes())
        export_request(user=user)
    tokens = [RefreshToken.for_user(user), RefreshToken.for_user(user)]
    tokens[0].blacklist()
    Client(REMOTE_ADDR="198.51.100.7").post(
        "/api/auth/token/",
        {"username": user.username, "password": "wrong"},
        content_type="application/json",
    )
    return Holdings(
        user_id=user.pk,
        username=user.username,
        token_ids=[token["jti"] for token in tokens],
    )


def stored_names(user_id: int) -> set[str]:
    """The names of every object the user's rows hold."""
    names = set()
    for resume in Resume.objects.filter(owner_id=user_id):
        names |= {resume.image.name, resume.image_thumbnail.name}
    for profile in Profile.objects.filter(user_id=user_id):
        names |= {profile.avatar.name, profile.avatar_thumbnail.name}
    names |= set(ResumePDF.objects.filter(resume__owner_id=user_id).values_list("file", flat=True))
    names |= set(StagedUpload.objects.filter(owner_id=user_id).values_list("key", flat=True))
    names |= set(AccountExport.objects.filter(user_id=user_id).values_list("file", flat=True))
    return names - {"", None}


def rows_of(holdings: Holdings) -> dict[str, int]:
    """How many rows of each table are the account's."""
    user_id = holdings.user_id
    tokens = OutstandingToken.objects.filter(jti__in=holdings.token_ids)
    return {
        "users": User.objects.filter(pk=user_id).count(),
        "profiles": Profile.objects.filter(user_id=user_id).count(),
        "resumes": Resume.objects.filter(owner_id=user_id).count(),
        "pdfs": ResumePDF.objects.filter(resume__owner_id=user_id).count(),
        "uploads": StagedUpload.objects.filter(owner_id=user_id).count(),
        "exports": AccountExport.objects.filter(user_id=user_id).count(),
        "outstanding_tokens": tokens.count(),
        "blacklisted_tokens": BlacklistedToken.objects.filter(token__in=tokens).count(),
        "login_failures": AccessAttempt.objects.filter(username__iexact=holdings.username).count(),
    }


def limit_rates(monkeypatch: Any, **scopes: str) -> None:
    """Throttle rates for one test (DRF reads them once, at import); the counts start from
    zero in every test (conftest's empty_cache)."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **scopes}
    )
