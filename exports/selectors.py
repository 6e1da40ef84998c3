from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from exports.models import AccountExport
from storage.links import download_url
from users.models import User


def export_list(*, user: User) -> QuerySet[AccountExport]:
    """The user's exports, newest first; an expired one is gone already, whether or not the
    hourly cleanup has deleted it yet."""
    return user.exports.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))


def export_get(*, user: User, export_id: int) -> AccountExport:
    """One of the user's exports; anyone else's is indistinguishable from a missing one (404)."""
    return get_object_or_404(export_list(user=user), pk=export_id)


def export_download_name(export: AccountExport) -> str:
    """resume-export-<username>-<YYYYMMDD>.zip, dated when it was asked for (UTC)."""
    return f"resume-export-{export.user.get_username()}-{export.created_at:%Y%m%d}.zip"


def export_download_url(export: AccountExport) -> str | None:
    """A URL valid for EXPORT_URL_EXPIRE_SECONDS that downloads the export as
    export_download_name; None until it is ready."""
    if export.status != AccountExport.Status.READY or not export.file:
        return None
    name, lifetime = export_download_name(export), settings.EXPORT_URL_EXPIRE_SECONDS
    return download_url(export.file.storage, export.file.name, lifetime, name)
