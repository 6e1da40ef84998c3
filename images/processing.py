"""Validate and sanitize untrusted image bytes.

Every image that reaches storage passes through `sanitize_image`: the format is decided by
the bytes (magic numbers, then Pillow), the pixel count is checked from the header before
anything is decoded, and the stored bytes are a fresh encoding with no metadata, turned
upright from its EXIF orientation, plus a thumbnail.
"""

import io
import warnings
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError


class ImageRejected(ValueError):
    """The bytes are not an image this API accepts; the message says why, for the client."""


@dataclass(frozen=True)
class ImageFormat:
    pillow_name: str
    extension: str
    content_type: str


JPEG = ImageFormat("JPEG", "jpg", "image/jpeg")
PNG = ImageFormat("PNG", "png", "image/png")
WEBP = ImageFormat("WEBP", "webp", "image/webp")
ACCEPTED_FORMATS = (JPEG, PNG, WEBP)
FORMAT_BY_CONTENT_TYPE = {f.content_type: f for f in ACCEPTED_FORMATS}


@dataclass(frozen=True)
class SanitizedImage:
    format: ImageFormat
    data: bytes = field(repr=False)
    thumbnail: bytes = field(repr=False)
    width: int
    height: int


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def sniff_format(header: bytes) -> ImageFormat:
    """The image format announced by the first bytes of a file."""
    if header.startswith(b"\xff\xd8\xff"):
        return JPEG
    if header.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(header) >= 12 and header[:4] == b"RIFF" and header[8:12] == b"WEBP":
        return WEBP
    raise ImageRejected("Unsupported file type: upload a JPEG, PNG or WebP image.")


def check_size(size: int) -> None:
    if size == 0:
        raise ImageRejected("The file is empty.")
    if size > settings.IMAGE_MAX_BYTES:
        raise ImageRejected(
            f"The file is too large ({_mib(size)}); the limit is {_mib(settings.IMAGE_MAX_BYTES)}."
        )


def _open(data: bytes, image_format: ImageFormat) -> Image.Image:
    """Open (header only) with the one decoder the magic bytes named."""
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb warning becomes an error; our pixel limit is lower anyway.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[image_format.pillow_name])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected("The image has too many pixels.") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected("The file is not a valid image, or it is corrupt.") from exc
    return image


def _check_dimensions(image: Image.Image) -> None:
    width, height = image.size
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise ImageRejected(
            f"The image has too many pixels ({width}×{height}); "
            f"the limit is {settings.IMAGE_MAX_PIXELS:,} pixels."
        )
    low, high = settings.IMAGE_MIN_DIMENSION, settings.IMAGE_MAX_DIMENSION
    if min(width, height) < low:
        raise ImageRejected(
            f"The image is too small ({width}×{height}); each side must be ≥ {low} px."
        )
    if max(width, height) > high:
        raise ImageRejected(
            f"The image is too big ({width}×{height}); each side must be ≤ {high} px."
        )
    if getattr(image, "n_frames", 1) > 1:
        raise ImageRejected("Animated images are not supported.")


def _output_mode(image: Image.Image, image_format: ImageFormat) -> Image.Image:
    if image_format is JPEG:
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        return image
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _encode(image: Image.Image, image_format: ImageFormat) -> bytes:
    buffer = io.BytesIO()
    options: dict = {}
    if image_format is JPEG:
        options = {"quality": settings.IMAGE_JPEG_QUALITY}
    elif image_format is WEBP:
        options = {"quality": settings.IMAGE_JPEG_QUALITY, "method": 4}
    # Nothing from the source's `info` (EXIF, XMP, ICC profile, comments, text chunks) is
    # passed on: the encoders only write metadata they are given.
    image.save(buffer, format=image_format.pillow_name, **options)
    return buffer.getvalue()


def _thumbnail(image: Image.Image) -> Image.Image:
    """At most IMAGE_THUMBNAIL_SIZE on the longest side, never enlarged.

    Image.thumbnail() would need a full-size copy first; resize() makes only the small one.
    """
    side = settings.IMAGE_THUMBNAIL_SIZE
    scale = side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def sanitize_image(data: bytes) -> SanitizedImage:
    """Check `data` against the image rules and return clean bytes and a thumbnail."""
    check_size(len(data))
    image_format = sniff_format(data[:16])
    source = _open(data, image_format)
    _check_dimensions(source)
    try:
        source.load()
        # In place: no full-size copy when the image is already upright.
        ImageOps.exif_transpose(source, in_place=True)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageRejected("The file is not a valid image, or it is corrupt.") from exc
    clean = _output_mode(source, image_format)
    clean.info = {}
    return SanitizedImage(
        format=image_format,
        data=_encode(clean, image_format),
        thumbnail=_encode(_thumbnail(clean), image_format),
        width=clean.width,
        height=clean.height,
    )


def read_upload(file: IO[bytes]) -> bytes:
    """All bytes of an uploaded file, refusing early if it is over the size limit."""
    size = getattr(file, "size", None)
    if size is not None:
        check_size(size)
    file.seek(0)
    data = file.read(settings.IMAGE_MAX_BYTES + 1)
    check_size(len(data))
    return data
