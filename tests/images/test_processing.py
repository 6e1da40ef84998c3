"""Every image rule, through both image endpoints: résumé image and profile avatar."""

import io
import re
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from images.processing import ImageRejected, sanitize_image
from profiles import attachments as profile_attachments
from profiles.models import Profile
from resumes.attachments import RESUME_IMAGE
from resumes.models import Resume
from storage.attachments import ImageAttachment
from tests.support import images
from tests.support.s3 import stored_keys

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Target:
    name: str
    method: str
    path: str
    field: str
    extra: dict
    attachment: ImageAttachment

    def send(self, client, data: bytes, filename: str = "upload.jpg", content_type="image/jpeg"):
        upload = SimpleUploadedFile(filename, data, content_type=content_type)
        return getattr(client, self.method)(
            self.path, {**self.extra, self.field: upload}, format="multipart"
        )

    def instance(self, user):
        if self.field == "image":
            return Resume.objects.filter(owner=user).first()
        return Profile.objects.get(user=user)


RESUME = Target("resume", "post", "/api/resumes/", "image", {"title": "Photo test"}, RESUME_IMAGE)
AVATAR = Target("avatar", "patch", "/api/profiles/me/", "avatar", {}, profile_attachments.AVATAR)


@pytest.fixture(params=[RESUME, AVATAR], ids=lambda t: t.name)
def target(request):
    return request.param


def assert_rejected(response, target, bucket, user, reason):
    assert response.status_code == 400, response.content
    messages = response.json()[target.field]
    assert any(reason in message for message in messages), messages
    assert bucket.object_keys() == []
    instance = target.instance(user)
    assert instance is None or not getattr(instance, target.field)


# --- accepted formats and sanitizing ----------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [("JPEG", "image/jpeg", "jpg"), ("PNG", "image/png", "png"), ("WEBP", "image/webp", "webp")],
)
def test_accepted_formats_are_stored_with_matching_type_and_key(
    api, user, bucket, target, fmt, content_type, extension
):
    data = images.encode(images.halves((40, 20)), fmt)

    response = target.send(api, data, filename="whatever.bin", content_type="text/plain")

    assert response.status_code in (200, 201), response.content
    instance = target.instance(user)
    name = getattr(instance, target.field).name
    assert re.fullmatch(rf"{target.attachment.prefix}/[0-9a-f]{{32}}\.{extension}", name), name
    assert bucket.object_keys() == stored_keys(instance, target.attachment)
    for key in bucket.object_keys():
        assert bucket.get(key)[1] == content_type
        assert bucket.image(key).format == fmt


def test_format_comes_from_the_bytes_not_the_name_or_content_type(api, user, bucket, target):
    png = images.encode(images.halves((40, 20)), "PNG")

    response = target.send(api, png, filename="photo.jpg", content_type="image/jpeg")

    assert response.status_code in (200, 201)
    name = getattr(target.instance(user), target.field).name
    assert name.endswith(".png")
    assert bucket.get(name)[1] == "image/png"


def test_metadata_is_stripped(api, user, bucket, target):
    response = target.send(api, images.jpeg_with_metadata())

    assert response.status_code in (200, 201)
    for key in bucket.object_keys():
        raw, _ = bucket.get(key)
        stored = Image.open(io.BytesIO(raw))
        assert dict(stored.getexif()) == {}
        assert not {"exif", "icc_profile", "xmp", "comment"} & set(stored.info)
        for secret in (b"Exif", b"SpyCam", b"home address", images.SECRET_COMMENT, b"secret-xmp"):
            assert secret not in raw


def test_exif_orientation_is_applied(api, user, bucket, target):
    # Orientation 6: the camera was turned; viewers rotate 90° clockwise to show it.
    response = target.send(api, images.jpeg_with_metadata(orientation=6))

    assert response.status_code in (200, 201)
    stored = bucket.image(getattr(target.instance(user), target.field).name).convert("RGB")
    assert stored.size == (30, 60)
    top, bottom = stored.getpixel((15, 5)), stored.getpixel((15, 55))
    assert top[0] > 200 and top[2] < 60  # red half now on top
    assert bottom[2] > 200 and bottom[0] < 60


def test_thumbnail_is_stored_beside_the_original_and_returned(api, user, bucket, target):
    response = target.send(api, images.encode(images.halves((1000, 500)), "JPEG"))

    assert response.status_code in (200, 201)
    instance = target.instance(user)
    original = getattr(instance, target.field).name
    thumbnail = getattr(instance, target.attachment.thumbnail_field).name
    assert thumbnail == original.replace(".jpg", "_thumb.jpg")
    assert bucket.image(original).size == (1000, 500)
    assert bucket.image(thumbnail).size == (256, 128)
    assert f"/{thumbnail}?" in response.json()[f"{target.field}_thumbnail"]


def test_large_photo_is_stored_at_image_stored_size_upright(api, user, bucket, target):
    # A photo taken with the phone turned (EXIF orientation 6), larger than the stored size
    # (IMAGE_STORED_SIZE, 2048 px): decoded at half size, then turned.
    response = target.send(api, images.jpeg_with_metadata(orientation=6, size=(4000, 2000)))

    assert response.status_code in (200, 201), response.content
    instance = target.instance(user)
    stored = bucket.image(getattr(instance, target.field).name).convert("RGB")
    assert stored.size == (1000, 2000)
    top, bottom = stored.getpixel((500, 100)), stored.getpixel((500, 1900))
    assert top[0] > 200 and top[2] < 60  # red half on top
    assert bottom[2] > 200 and bottom[0] < 60
    assert bucket.image(getattr(instance, target.attachment.thumbnail_field).name).size == (
        128,
        256,
    )


def test_large_png_is_stored_at_image_stored_size(api, user, bucket, target):
    response = target.send(api, images.encode(images.halves((3000, 1500)), "PNG"))

    assert response.status_code in (200, 201), response.content
    assert bucket.image(getattr(target.instance(user), target.field).name).size == (2048, 1024)


def test_progressive_jpeg_is_accepted(api, user, bucket, target):
    progressive = images.encode(images.halves((400, 200)), "JPEG", progressive=True)

    response = target.send(api, progressive)

    assert response.status_code in (200, 201), response.content
    assert bucket.image(getattr(target.instance(user), target.field).name).size == (400, 200)


def test_jpeg_scan_limit_comes_from_settings(api, user, bucket, target, settings):
    settings.IMAGE_JPEG_MAX_SCANS = 3  # a colour progressive JPEG from libjpeg has 10

    response = target.send(api, images.encode(images.halves(), "JPEG", progressive=True))

    assert_rejected(response, target, bucket, user, "too many scans (over 3)")


def test_memory_budget_follows_image_max_pixels(api, user, bucket, target, settings):
    # Under the pixel limit, but a lossless WebP with alpha decodes to 20 bytes a pixel
    # (libwebp's canvases and Pillow's copies) against a budget of 4 bytes a pixel.
    settings.IMAGE_MAX_PIXELS = 1_000_000
    webp = images.flat_lossless_webp((1000, 900), (128, 1, 2, 3))

    response = target.send(api, webp, filename="a.webp", content_type="image/webp")

    assert_rejected(response, target, bucket, user, "needs too much memory")


def test_objects_carry_cache_control(api, user, bucket, target, settings):
    target.send(api, images.encode(images.halves(), "PNG"))

    for key in bucket.object_keys():
        head = bucket.client.head_object(Bucket=bucket.name, Key=key)
        assert head["CacheControl"] == settings.IMAGE_CACHE_CONTROL


def test_cmyk_jpeg_is_stored_as_rgb(api, user, bucket, target):
    cmyk = images.encode(Image.new("CMYK", (40, 40), (0, 255, 255, 0)), "JPEG")

    response = target.send(api, cmyk)

    assert response.status_code in (200, 201)
    assert bucket.image(getattr(target.instance(user), target.field).name).mode == "RGB"


def test_png_transparency_is_kept(api, user, bucket, target):
    rgba = images.encode(Image.new("RGBA", (40, 40), (10, 20, 30, 0)), "PNG")

    target.send(api, rgba, content_type="image/png")

    stored = bucket.image(getattr(target.instance(user), target.field).name)
    assert stored.mode == "RGBA"
    assert stored.getpixel((0, 0))[3] == 0


# --- rejected files -------------------------------------------------------------------------

REJECTED = {
    "empty file": (b"", "empty"),
    "text named .jpg": (b"just some text, not a photo", "Unsupported file type"),
    "html": (b"<!doctype html><script>alert(1)</script>", "Unsupported file type"),
    "svg with script": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
        b"<script>alert(2)</script></svg>",
        "Unsupported file type",
    ),
    "pdf": (b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF", "Unsupported file type"),
    "gif": (images.encode(Image.new("RGB", (32, 32)), "GIF"), "Unsupported file type"),
    "bmp": (images.encode(Image.new("RGB", (32, 32)), "BMP"), "Unsupported file type"),
    "gif/js polyglot": (b"GIF89a/*\x01\x00\x01\x00*/=alert(1)//;", "Unsupported file type"),
    "truncated jpeg": (images.encode(images.halves((400, 400)), "JPEG")[:600], "corrupt"),
    "truncated png": (images.encode(images.halves((400, 400)), "PNG")[:300], "corrupt"),
    "jpeg header, garbage body": (b"\xff\xd8\xff\xe0" + b"\x00garbage" * 50, "corrupt"),
    "png header, corrupt data": (images.png_claiming(64, 64), "corrupt"),
    "too small": (images.encode(Image.new("RGB", (8, 8)), "PNG"), "too small"),
    "animated png": (images.animated("PNG"), "Animated"),
    "animated webp": (images.animated("WEBP"), "Animated"),
    "png bomb 50000x50000": (images.png_claiming(50_000, 50_000), "too many pixels"),
    "jpeg bomb 50000x50000": (images.jpeg_claiming(50_000, 50_000), "too many pixels"),
    "jpeg with a second frame header": (images.jpeg_with_two_frames(12_000, 3_333), "corrupt"),
}


@pytest.mark.parametrize(("data", "reason"), REJECTED.values(), ids=REJECTED.keys())
def test_invalid_files_are_rejected_and_nothing_is_stored(api, user, bucket, target, data, reason):
    response = target.send(api, data)

    assert_rejected(response, target, bucket, user, reason)


def test_pixel_limit_is_checked_before_decoding(api, user, bucket, target, settings):
    # Over our limit but under Pillow's own, with a body that would fail to decode:
    # "too many pixels" proves the header check ran first and nothing was decoded.
    settings.IMAGE_MAX_PIXELS = 1_000_000

    response = target.send(api, images.png_claiming(2000, 1000))

    assert_rejected(response, target, bucket, user, "too many pixels")


def test_dimension_limits_come_from_settings(api, user, bucket, target, settings):
    settings.IMAGE_MAX_DIMENSION = 100

    response = target.send(api, images.encode(Image.new("RGB", (101, 50)), "PNG"))

    assert_rejected(response, target, bucket, user, "each side must be ≤ 100 px")


def test_file_over_the_byte_limit_is_rejected(api, user, bucket, target, settings):
    settings.IMAGE_MAX_BYTES = 20_000

    response = target.send(api, images.noise_png((100, 100)))

    assert_rejected(response, target, bucket, user, "too large")


def test_request_body_over_the_limit_is_413_json(api, user, bucket, target, settings):
    settings.REQUEST_BODY_MAX_BYTES = 50_000

    response = target.send(api, images.noise_png((200, 200)))

    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert bucket.object_keys() == []


def test_rejected_replacement_keeps_the_current_image(api, user, bucket, target):
    target.send(api, images.encode(images.halves(), "PNG"))
    keys = bucket.object_keys()

    response = api.patch(
        "/api/profiles/me/" if target is AVATAR else f"/api/resumes/{target.instance(user).id}/",
        {target.field: SimpleUploadedFile("x.jpg", b"<html>", content_type="image/jpeg")},
        format="multipart",
    )

    assert response.status_code == 400
    assert bucket.object_keys() == keys == stored_keys(target.instance(user), target.attachment)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_truncated_image_is_refused_even_after_weasyprint_told_pillow_to_pad_it(monkeypatch, fmt):
    import weasyprint  # noqa: F401 - loaded for PDFs; its import sets the flag below

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    # A PNG cut short: Pillow pads it with black when told to (JPEG and WebP fail anyway).
    truncated = images.encode(images.halves((400, 400)), "PNG")[:300]

    with pytest.raises(ImageRejected, match="corrupt"):
        sanitize_image(truncated)
