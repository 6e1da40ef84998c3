import secrets
from typing import Any

import orjson
from django.conf import settings
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.text import slugify


class OrderedJSONField(models.JSONField):
    """A JSON value stored as its text, so that every object keeps its keys in the order
    they were written on every database (PostgreSQL's jsonb sorts them). Not queried by
    key: the value is only ever read whole."""

    def get_internal_type(self) -> str:
        return "TextField"

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        return None if value is None else orjson.dumps(value).decode()

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        return None if value is None else orjson.loads(value)


def new_share_slug() -> str:
    """An unguessable public link id (128 random bits, URL-safe)."""
    return secrets.token_urlsafe(16)


class Resume(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resumes"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    # Written only through resumes.services (sanitized, generated keys), never by forms.
    image = models.ImageField(max_length=255, blank=True, null=True, editable=False)
    image_thumbnail = models.ImageField(max_length=255, blank=True, null=True, editable=False)
    # A JSON Resume document, read and validated by resumes.json_resume before it is saved.
    content = OrderedJSONField(default=dict, blank=True)
    # /r/<share_slug>/ (its page) and GET /api/public/resumes/<share_slug>/ (its data) serve
    # the résumé to anyone while it is public.
    is_public = models.BooleanField(default=False)
    # Public page: whether search engines may index it (X-Robots-Tag: noindex otherwise).
    allow_search_indexing = models.BooleanField(default=False)
    # The folder name of a theme under presentation/themes/ (checked by the API, not here:
    # themes are folders, and one removed later must not make old rows invalid).
    theme = models.CharField(max_length=40, default="classic")
    share_slug = models.CharField(
        max_length=32, unique=True, default=new_share_slug, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The list's order, the id that breaks ties included: without it the database
        # sorted the rows again for it (SQLite: "USE TEMP B-TREE FOR RIGHT PART OF ORDER BY").
        indexes = [
            models.Index(fields=["owner", "-created_at", "-id"], name="resume_owner_order_idx")
        ]

    def __str__(self) -> str:
        return self.title

    def download_name(self, extension: str) -> str:
        """The file name of a download of this résumé: its title as a slug."""
        return f"{slugify(self.title) or f'resume-{self.pk}'}.{extension}"
