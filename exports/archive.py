"""The zip of an account export, written into a file (never held in memory: an account may
have many images of megabytes each):

- `profile.json`: the account (username, e-mail address, when it joined), its profile, and
  each résumé's own fields (title, summary, theme, sharing) with the names of its files;
- `avatar.<ext>`: the avatar as stored;
- `resumes/<n>-<title slug>.json`: each résumé as a JSON Resume document, as the résumé's
  export endpoint gives it, except that basics.image names the image beside it in the zip
  (a reference relative to the document) instead of a URL;
- `resumes/<n>-<title slug>.<ext>`: each résumé's image as stored.

n counts the résumés from the oldest, so that two with the same title get two names.
"""

import shutil
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, BinaryIO

import orjson
from django.core.files.storage import default_storage
from django.utils.text import slugify

from profiles.models import Profile
from resumes.json_resume import export_document
from resumes.models import Resume
from users.models import User

PROFILE_MEMBER = "profile.json"
RESUMES_FOLDER = "resumes"
# Longest title slug in a member's name.
MAX_SLUG_LENGTH = 60
# What copying a stored object into the zip holds in memory at a time.
COPY_CHUNK_BYTES = 1024 * 1024


class ExportTooLarge(Exception):
    def __init__(self, max_bytes: int) -> None:
        super().__init__(
            f"Your data makes an export of more than {max_bytes} bytes, the most this server "
            "builds (EXPORT_MAX_BYTES). Delete images or résumés you do not need, or ask the "
            "operator to raise the limit."
        )


@dataclass(frozen=True)
class _ResumeFiles:
    resume: Resume
    document: str
    image: str | None


def _json(value: Any) -> bytes:
    # Times as the API writes them: UTC, with a "Z".
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_UTC_Z)


def _extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


class _Archive:
    """A zip being written into `file`, refused once it passes `max_bytes`. The size is
    checked after each member, so the file passes the bound by one member at most."""

    def __init__(self, zip_file: zipfile.ZipFile, file: BinaryIO, max_bytes: int) -> None:
        self.zip = zip_file
        self.file = file
        self.max_bytes = max_bytes

    def check_size(self) -> None:
        if self.file.tell() > self.max_bytes:
            raise ExportTooLarge(self.max_bytes)

    def add_json(self, member: str, value: Any) -> None:
        self.zip.writestr(member, _json(value), compress_type=zipfile.ZIP_DEFLATED)
        self.check_size()

    def add_stored(self, member: str, name: str) -> bool:
        """The stored object `name` as `member`, copied as it is (images are compressed
        already) a part at a time; False, and no member, when the object is missing."""
        stored = default_storage.stream(name)
        if stored is None:
            return False
        info = zipfile.ZipInfo(member, date_time=time.localtime()[:6])
        with stored, self.zip.open(info, "w") as target:
            shutil.copyfileobj(stored, target, COPY_CHUNK_BYTES)
        self.check_size()
        return True


def _resume_files(resumes: Iterator[Resume]) -> Iterator[_ResumeFiles]:
    for number, resume in enumerate(resumes, start=1):
        stem = f"{number}-{slugify(resume.title)[:MAX_SLUG_LENGTH].strip('-') or 'resume'}"
        image = f"{stem}{_extension(resume.image.name)}" if resume.image else None
        yield _ResumeFiles(resume=resume, document=f"{stem}.json", image=image)


def _resume_entry(files: _ResumeFiles, image_stored: bool) -> dict[str, Any]:
    resume = files.resume
    return {
        "title": resume.title,
        "summary": resume.summary,
        "theme": resume.theme,
        "is_public": resume.is_public,
        "allow_search_indexing": resume.allow_search_indexing,
        "created_at": resume.created_at,
        "updated_at": resume.updated_at,
        "document": f"{RESUMES_FOLDER}/{files.document}",
        "image": f"{RESUMES_FOLDER}/{files.image}" if image_stored else None,
    }


def _profile_entry(profile: Profile | None, avatar: str | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {
        "display_name": profile.display_name,
        "headline": profile.headline,
        "bio": profile.bio,
        "location": profile.location,
        "website": profile.website,
        "avatar": avatar,
        "created_at": profile.created_at,
        "updated_at": profile.updated_at,
    }


def write_archive(user: User, file: BinaryIO, *, max_bytes: int) -> None:
    """Write the export of `user`'s data into `file` (a new, empty file); ExportTooLarge once
    it passes `max_bytes`."""
    with zipfile.ZipFile(file, "w") as zip_file:
        archive = _Archive(zip_file, file, max_bytes)
        resumes = []
        for files in _resume_files(user.resumes.order_by("created_at", "id").iterator()):
            image_stored = bool(files.image) and archive.add_stored(
                f"{RESUMES_FOLDER}/{files.image}", files.resume.image.name
            )
            document = export_document(files.resume.content, files.image if image_stored else None)
            archive.add_json(f"{RESUMES_FOLDER}/{files.document}", document)
            resumes.append(_resume_entry(files, image_stored))
        profile = Profile.objects.filter(user=user).first()
        avatar = None
        if profile is not None and profile.avatar:
            member = f"avatar{_extension(profile.avatar.name)}"
            avatar = member if archive.add_stored(member, profile.avatar.name) else None
        account = {
            "username": user.username,
            "email": user.email,
            "email_verified": user.email_verified,
            "date_joined": user.date_joined,
        }
        archive.add_json(
            PROFILE_MEMBER,
            {"account": account, "profile": _profile_entry(profile, avatar), "resumes": resumes},
        )
    archive.check_size()  # with the central directory
