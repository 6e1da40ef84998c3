"""Hostile files, each sent to every way an image gets in: a résumé image and an avatar as
multipart uploads, and both again as direct uploads claimed by key.

`HOSTILE_FILES` is the catalogue (name → bytes, file name, content type, expectation). A
rejected file must get a 4xx whose JSON names the field, change no row and add no object to
the bucket; an accepted one must leave exactly the expected objects, under generated keys.
"""

import copy
import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

import boto3
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import override_settings
from moto import mock_aws
from PIL import Image

from profiles.attachments import AVATAR
from profiles.models import Profile
from profiles.services import profile_update
from resumes.attachments import RESUME_IMAGE
from resumes.models import Resume
from resumes.services import resume_create
from storage.attachments import ImageAttachment
from tests.support import images
from tests.support.rows import rows
from tests.support.s3 import Bucket, stored_keys
from tests.support.uploads import issue, put_staged
from uploads.models import StagedUpload

pytestmark = pytest.mark.django_db


# --- expectations ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rejected:
    """400, the field's messages include `reason`; nothing changes."""

    reason: str


@dataclass(frozen=True)
class Accepted:
    """Stored as `format` under generated keys; none of `absent` in any stored byte."""

    format: str
    absent: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class RefusedBeforeTheField:
    """A multipart request refused as a whole (`status`, `detail` in its JSON) before any
    field is read; the same bytes claimed by key get `when_claimed`."""

    status: int
    detail: str
    when_claimed: Rejected | Accepted


@dataclass(frozen=True)
class RejectedInForm:
    """Sent as a form part: 400 naming the field, with `reason` (the part's headers are
    unusable); claimed by key, where no part header exists: `when_claimed`."""

    reason: str
    when_claimed: Rejected | Accepted


class Hostile(NamedTuple):
    data: bytes
    filename: str | bytes
    content_type: str
    expectation: Rejected | Accepted | RefusedBeforeTheField | RejectedInForm


UNSUPPORTED = Rejected("Unsupported file type")
CORRUPT = Rejected("corrupt")
BOMB = Rejected("too many pixels")
ANIMATED = Rejected("Animated images are not supported")
TOO_LARGE = Rejected("too large")
TOO_COSTLY = Rejected("needs too much memory")
ABNORMAL = Rejected("abnormal structure")

JPEG = images.encode(images.halves(), "JPEG")
PNG = images.encode(images.halves(), "PNG")
TEXT = b"Dear hiring manager,\nthis is not a photo.\n"

HOSTILE_FILES: dict[str, Hostile] = {
    # Not images at all
    "zero bytes": Hostile(b"", "empty.jpg", "image/jpeg", Rejected("empty")),
    "text renamed .jpg": Hostile(TEXT, "photo.jpg", "image/jpeg", UNSUPPORTED),
    "html with script": Hostile(
        b"<!doctype html><html><body>" + images.SCRIPT + b"</body></html>",
        "photo.jpg",
        "image/jpeg",
        UNSUPPORTED,
    ),
    "svg with script": Hostile(
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">' + images.SCRIPT + b"</svg>",
        "photo.svg",
        "image/svg+xml",
        UNSUPPORTED,
    ),
    "pdf": Hostile(
        b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF",
        "cv.pdf",
        "application/pdf",
        UNSUPPORTED,
    ),
    "tiff": Hostile(
        images.encode(images.halves(), "TIFF"), "photo.tiff", "image/tiff", UNSUPPORTED
    ),
    # Polyglots: one file, two readings
    "gif/js polyglot": Hostile(
        b"GIF89a/*\x10\x00\x10\x00\x80\x00\x00*/=alert(1)//;", "photo.gif", "image/gif", UNSUPPORTED
    ),
    "jpeg/zip polyglot": Hostile(
        images.jpeg_zip_polyglot(),
        "photo.jpg",
        "image/jpeg",
        # The JPEG part is a valid image: it is re-encoded and the archive is gone.
        Accepted("JPEG", absent=(images.ZIP_MAGIC, b"PK\x05\x06", b"shell.php", b"<?php")),
    ),
    "jpeg with html after its end": Hostile(
        JPEG + b"<html>" + images.SCRIPT + b"</html>",
        "photo.jpg",
        "image/jpeg",
        Accepted("JPEG", absent=(b"<script", b"<html")),
    ),
    # Broken images
    "truncated jpeg": Hostile(
        images.encode(images.halves((400, 400)), "JPEG")[:600], "a.jpg", "image/jpeg", CORRUPT
    ),
    "truncated png": Hostile(
        images.encode(images.halves((400, 400)), "PNG")[:300], "a.png", "image/png", CORRUPT
    ),
    "truncated webp": Hostile(
        images.encode(images.halves((400, 400)), "WEBP")[:300], "a.webp", "image/webp", CORRUPT
    ),
    "jpeg header, garbage data": Hostile(
        b"\xff\xd8\xff\xe0" + b"\x00garbage" * 64, "a.jpg", "image/jpeg", CORRUPT
    ),
    "png header, corrupt data": Hostile(images.png_claiming(64, 64), "a.png", "image/png", CORRUPT),
    # Resource exhaustion
    "png claiming 50000x50000": Hostile(
        images.png_claiming(50_000, 50_000), "a.png", "image/png", BOMB
    ),
    "jpeg claiming 50000x50000": Hostile(
        images.jpeg_claiming(50_000, 50_000), "a.jpg", "image/jpeg", BOMB
    ),
    "jpeg claiming 20000x16": Hostile(
        images.jpeg_claiming(20_000, 16), "a.jpg", "image/jpeg", Rejected("too big")
    ),
    "png with a zTXt bomb": Hostile(images.png_text_bomb(), "a.png", "image/png", CORRUPT),
    "valid png over IMAGE_MAX_BYTES": Hostile(
        images.padded_png(settings.IMAGE_MAX_BYTES + 1024), "big.png", "image/png", TOO_LARGE
    ),
    "body far over the request limit": Hostile(
        images.padded_png(3 * settings.REQUEST_BODY_MAX_BYTES),
        "huge.png",
        "image/png",
        # The middleware answers from Content-Length; a claim reads at most the byte limit.
        RefusedBeforeTheField(413, "The upload is too large", when_claimed=TOO_LARGE),
    ),
    # Decoding bombs: a few bytes, under every size and pixel limit, costly to decode
    "progressive jpeg repeating one scan 2000 times": Hostile(
        images.jpeg_scan_bomb(scans=2000), "photo.jpg", "image/jpeg", Rejected("too many scans")
    ),
    "lossless webp of 40 MP in 34 bytes": Hostile(
        images.flat_lossless_webp((8000, 5000), (255, 90, 120, 150)),
        "photo.webp",
        "image/webp",
        TOO_COSTLY,
    ),
    "16-bit png of 40 MP in 300 KB": Hostile(
        images.png_16bit((7000, 5700)), "photo.png", "image/png", TOO_COSTLY
    ),
    "jpeg with a million empty comments": Hostile(
        images.jpeg_with_segments(b"\xff\xfe\x00\x02" * 1_000_000), "a.jpg", "image/jpeg", ABNORMAL
    ),
    "png with 400,000 empty chunks": Hostile(
        images.png_with_chunk(images.png_chunk(b"prVt", b"") * 400_000),
        "a.png",
        "image/png",
        ABNORMAL,
    ),
    "animated png": Hostile(images.animated("PNG"), "a.png", "image/png", ANIMATED),
    "animated webp": Hostile(images.animated("WEBP"), "a.webp", "image/webp", ANIMATED),
    # Mislabeled: the bytes decide
    "png sent as image/jpeg named .jpg": Hostile(PNG, "photo.jpg", "image/jpeg", Accepted("PNG")),
    "text sent as image/png": Hostile(TEXT, "photo.png", "image/png", UNSUPPORTED),
    # Hostile names on valid images: accepted, under a generated key
    "path traversal name": Hostile(JPEG, "../../etc/passwd.jpg", "image/jpeg", Accepted("JPEG")),
    "windows path name": Hostile(
        JPEG, "C:\\Windows\\system32\\evil.jpg", "image/jpeg", Accepted("JPEG")
    ),
    "html in the name": Hostile(
        JPEG, "<img src=x onerror=alert(1)>.jpg", "image/jpeg", Accepted("JPEG")
    ),
    "executable name": Hostile(JPEG, "shell.php", "application/x-php", Accepted("JPEG")),
    "255-byte name": Hostile(JPEG, "n" * 251 + ".jpg", "image/jpeg", Accepted("JPEG")),
    "1000-character name": Hostile(
        JPEG,
        "n" * 996 + ".jpg",
        "image/jpeg",
        # Django refuses any multipart part whose headers exceed 1024 bytes (a fixed guard,
        # multipartparser.MAX_TOTAL_HEADER_SIZE); no file system has such names anyway.
        RejectedInForm("headers are too long", when_claimed=Accepted("JPEG")),
    ),
    "non-utf-8 name": Hostile(
        JPEG,
        b"\xff\xfe\xc3(photo\x80.jpg",
        "image/jpeg",
        RejectedInForm("not valid UTF-8", when_claimed=Accepted("JPEG")),
    ),
    "name that is only '..'": Hostile(JPEG, "..", "image/jpeg", Accepted("JPEG")),
    "rfc 2231 latin-1 name": Hostile(
        JPEG, "filename*=iso-8859-1''%E9t%E9%20%22%2E%2E%2F.jpg", "image/jpeg", Accepted("JPEG")
    ),
    # Metadata
    "exif with a 60 KB comment": Hostile(
        images.jpeg_with_huge_exif(60_000),
        "photo.jpg",
        "image/jpeg",
        Accepted("JPEG", absent=(b"Exif", images.SECRET_COMMENT)),
    ),
    "png text chunk with script": Hostile(
        images.png_with_chunk(images.png_chunk(b"tEXt", b"Comment\0" + images.SCRIPT)),
        "photo.png",
        "image/png",
        Accepted("PNG", absent=(b"tEXt", b"<script")),
    ),
}


# --- targets -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    method: str
    path: str
    field: str  # the request field that carries the image, named by errors
    attachment: ImageAttachment  # where the image is stored
    extra: dict
    claim_purpose: str | None = None  # direct upload claimed by key

    def prepare(self, client, bucket: Bucket, entry: Hostile) -> Callable[[], Any]:
        """Everything the client does before the request under test; returns that request."""
        if self.claim_purpose:
            return self._prepare_claim(client, bucket, entry)
        body, content_type = multipart_body(self.extra, self.field, entry)
        return lambda: client.generic(self.method, self.path, body, content_type=content_type)

    def _prepare_claim(self, client, bucket: Bucket, entry: Hostile) -> Callable[[], Any]:
        # The presigned POST admits only image types; a hostile client then writes whatever
        # it likes (any bytes, any Content-Type, any size) at the issued key.
        declared = entry.content_type
        ticket = issue(
            client,
            purpose=self.claim_purpose,
            content_type=declared if declared in ("image/png", "image/webp") else "image/jpeg",
            size=min(max(len(entry.data), 1), settings.IMAGE_MAX_BYTES),
        )
        put_staged(bucket, ticket, entry.data, content_type=entry.content_type)
        payload = {**self.extra, self.field: ticket["key"]}
        return lambda: getattr(client, self.method.lower())(self.path, payload, format="json")


RESUME_FORM = Target(
    "resume-form", "POST", "/api/resumes/", "image", RESUME_IMAGE, {"title": "Hostile"}
)
AVATAR_FORM = Target("avatar-form", "PATCH", "/api/profiles/me/", "avatar", AVATAR, {})
RESUME_CLAIM = Target(
    "resume-claim",
    "POST",
    "/api/resumes/",
    "image_key",
    RESUME_IMAGE,
    {"title": "Hostile"},
    claim_purpose="resume-image",
)
AVATAR_CLAIM = Target(
    "avatar-claim",
    "PATCH",
    "/api/profiles/me/",
    "avatar_key",
    AVATAR,
    {},
    claim_purpose="avatar",
)
TARGETS = [RESUME_FORM, AVATAR_FORM, RESUME_CLAIM, AVATAR_CLAIM]


def multipart_body(fields: dict[str, str], file_field: str, entry: Hostile) -> tuple[bytes, str]:
    """multipart/form-data built by hand, so that the file name goes on the wire as given
    (bytes included). A name starting with `filename*=` is sent as that parameter."""
    boundary = f"hostile-{uuid.uuid4().hex}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    name = entry.filename.encode() if isinstance(entry.filename, str) else entry.filename
    parameter = name if name.startswith(b"filename*=") else b'filename="' + name + b'"'
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '.encode()
        + parameter
        + f"\r\nContent-Type: {entry.content_type}\r\n\r\n".encode()
        + entry.data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def cases() -> list:
    params = []
    for kind, entry in HOSTILE_FILES.items():
        for target in TARGETS:
            params.append(pytest.param(entry, target, id=f"{kind}-{target.name}"))
    return params


# --- the world before the request ----------------------------------------------------------


@pytest.fixture(scope="module")
def module_bucket() -> Iterator[Bucket]:
    """One in-process moto S3 for the whole module, and one storage (with its boto3 client)
    talking to it: building a client per test costs more than most tests here."""
    name = settings.STORAGES["default"]["OPTIONS"]["bucket_name"]
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=name)
        storages = copy.deepcopy(settings.STORAGES)  # a new value: a new default storage
        with override_settings(STORAGES=storages):
            yield Bucket(client=client, name=name)


@pytest.fixture
def bucket(module_bucket: Bucket) -> Iterator[Bucket]:
    """Overrides conftest's `bucket`: the module's bucket, emptied after each test."""
    yield module_bucket
    for key in module_bucket.object_keys():
        module_bucket.client.delete_object(Bucket=module_bucket.name, Key=key)


@cache
def existing_image():
    return ContentFile(images.encode(Image.new("RGB", (40, 30), "green"), "JPEG"))


@pytest.fixture
def existing(user, bucket):
    """The user already has a résumé with an image and an avatar: a rejected file must leave
    both alone, an accepted avatar must replace the old one."""
    resume_create(owner=user, title="Existing", image=existing_image())
    profile_update(Profile.objects.get(user=user), avatar=existing_image())
    assert len(bucket.object_keys()) == 4


def generated_key(target: Target, image_format: str) -> re.Pattern:
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    return re.compile(rf"{target.attachment.prefix}/[0-9a-f]{{32}}(_thumb)?\.{extension}")


# --- the test ------------------------------------------------------------------------------


def test_catalogue_is_large_enough():
    assert len(HOSTILE_FILES) >= 20
    assert len(cases()) == len(HOSTILE_FILES) * len(TARGETS)


@pytest.mark.parametrize(("entry", "target"), cases())
def test_hostile_file(api, user, bucket, existing, entry, target):
    send = target.prepare(api, bucket, entry)
    rows_before, keys_before = rows(), bucket.object_keys()

    response = send()

    expected = entry.expectation
    if isinstance(expected, RefusedBeforeTheField | RejectedInForm) and target.claim_purpose:
        expected = expected.when_claimed
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    body = response.json()
    if isinstance(expected, Accepted):
        assert_accepted(response, body, target, user, bucket, expected, rows_before, keys_before)
        return
    if isinstance(expected, Rejected | RejectedInForm):
        assert response.status_code == 400, body
        messages = body[target.field]
        assert isinstance(messages, list) and messages, body
        assert any(expected.reason in message for message in messages), messages
    else:
        assert response.status_code == expected.status, body
        assert expected.detail in body["detail"], body
    if target.claim_purpose:
        # The upload's one claim attempt is spent, and its staging object gone.
        (upload,) = StagedUpload.objects.all()
        assert upload.claimed_at is not None
        rows_before["uploads"][0]["claimed_at"] = upload.claimed_at
        keys_before.remove(upload.key)
    assert rows() == rows_before
    assert bucket.object_keys() == keys_before


def assert_accepted(response, body, target, user, bucket, expected, rows_before, keys_before):
    assert response.status_code == (201 if target.method == "POST" else 200), body
    after = rows()
    if target.attachment is RESUME_IMAGE:
        assert after["resumes"][:-1] == rows_before["resumes"]  # the old résumé untouched
        assert len(after["resumes"]) == len(rows_before["resumes"]) + 1
        instance = Resume.objects.get(pk=body["id"])
        replaced = []
        assert after["profiles"] == rows_before["profiles"]
    else:
        assert after["resumes"] == rows_before["resumes"]
        instance = Profile.objects.get(user=user)
        old = rows_before["profiles"][0]
        replaced = [old[field] for field in AVATAR.name_fields]
    new_keys = stored_keys(instance, target.attachment)
    assert all(new_keys) and set(new_keys).isdisjoint(keys_before), (new_keys, keys_before)
    assert all(body[field] for field in target.attachment.name_fields), body
    staging = []
    if target.claim_purpose:
        (upload,) = StagedUpload.objects.all()
        assert upload.claimed_at is not None
        staging = [upload.key]
    else:
        assert after["uploads"] == rows_before["uploads"] == []
    assert bucket.object_keys() == sorted(
        (set(keys_before) - set(replaced) - set(staging)) | set(new_keys)
    )
    pattern = generated_key(target, expected.format)
    content_type = f"image/{expected.format.lower()}"
    for key in new_keys:
        assert pattern.fullmatch(key), key
        data, stored_type = bucket.get(key)
        assert stored_type == content_type
        assert bucket.image(key).format == expected.format
        for forbidden in expected.absent:
            assert forbidden not in data, (key, forbidden)
    # Nothing of the client's file name comes back either.
    assert "passwd" not in json.dumps(body) and "onerror" not in json.dumps(body)


# --- what decoding costs -------------------------------------------------------------------

# Run in a fresh interpreter, so that its memory and CPU are this file's alone: the warm-up
# loads every codec, then the peak resident memory is reset (Linux: clear_refs) and
# sanitize_image runs once. RLIMIT_CPU stops a bomb early instead of after minutes.
MEASURE = """
import io, json, resource, sys
from pathlib import Path

import django

django.setup()
from PIL import Image

from images.processing import ImageRejected, sanitize_image


def status(key):
    line = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith(key))
    return int(line.split()[1]) * 1024


for fmt in ("JPEG", "PNG", "WEBP"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(buffer, fmt)
    sanitize_image(buffer.getvalue())
data = Path(sys.argv[1]).read_bytes()
spent = resource.getrusage(resource.RUSAGE_SELF)
limit = int(spent.ru_utime + spent.ru_stime) + 10
resource.setrlimit(resource.RLIMIT_CPU, (limit, limit))
Path("/proc/self/clear_refs").write_text("5")
resident = status("VmRSS:")
try:
    image = sanitize_image(data)
    outcome = "accepted"
except ImageRejected:
    outcome = "rejected"
used = resource.getrusage(resource.RUSAGE_SELF)
cpu = used.ru_utime + used.ru_stime - spent.ru_utime - spent.ru_stime
print(json.dumps({"outcome": outcome, "cpu": cpu, "growth": status("VmHWM:") - resident}))
"""

CPU_BOUND_SECONDS = 2.0


def memory_bound() -> int:
    return 4 * settings.IMAGE_MAX_PIXELS + 64 * 2**20


def decoding_cost(tmp_path, data: bytes) -> dict:
    """CPU seconds and peak memory growth (bytes) of sanitize_image on `data`, measured in a
    child process, and whether the image was accepted."""
    path = tmp_path / "image"
    path.write_bytes(data)
    child = subprocess.run(  # noqa: S603 - fixed interpreter and script
        [sys.executable, "-c", MEASURE, str(path)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    # Killed by RLIMIT_CPU (SIGXCPU) or out of memory: far over the bound.
    assert child.returncode == 0, (child.returncode, child.stderr[-2000:])
    return json.loads(child.stdout)


# The catalogue's bombs, and the costliest files that are accepted: each decoded within the
# bound or refused before decoding.
COSTLY_FILES: dict[str, tuple[Callable[[], bytes], str]] = {
    **{
        name: (lambda name=name: HOSTILE_FILES[name].data, "rejected")
        for name in (
            "progressive jpeg repeating one scan 2000 times",
            "lossless webp of 40 MP in 34 bytes",
            "16-bit png of 40 MP in 300 KB",
            "jpeg with a million empty comments",
            "png with 400,000 empty chunks",
        )
    },
    # A phone's 50 MP photo, decoded at half size by libjpeg's DCT scaling.
    "50 MP phone photo": (images.phone_photo, "accepted"),
    # As many scans as allowed, every one a pass over 50 MP.
    "progressive jpeg of 50 MP at the scan limit": (
        lambda: images.jpeg_scan_bomb((8160, 6120), scans=settings.IMAGE_JPEG_MAX_SCANS - 5),
        "accepted",
    ),
    "lossless webp with alpha of 6 MP": (
        lambda: images.flat_lossless_webp((2600, 2400), (128, 90, 120, 150)),
        "accepted",
    ),
    "16-bit png of 15 MP": (lambda: images.png_16bit((4500, 3400)), "accepted"),
    # The most work per byte for libwebp, decoding and encoding: noise, near the byte limit.
    "lossy webp of noise, 4.5 MB": (lambda: images.noisy_webp((3400, 2600), 70), "accepted"),
    "rgba png of 16 MP, noise in every row": (lambda: images.striped_png((4000, 4000)), "accepted"),
}


@pytest.mark.parametrize("name", COSTLY_FILES)
def test_decoding_cost_is_bounded(tmp_path, name):
    make, outcome = COSTLY_FILES[name]

    cost = decoding_cost(tmp_path, make())

    assert cost["cpu"] <= CPU_BOUND_SECONDS, cost
    assert cost["growth"] <= memory_bound(), cost
    assert cost["outcome"] == outcome
