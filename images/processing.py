"""Validate and sanitize untrusted image bytes.

Every image that reaches storage passes through `sanitize_image`: the format is decided by
the bytes (magic numbers, then Pillow); what decoding will cost is bounded from the header,
read here before Pillow decodes anything (pixels, JPEG scans, chunks, an estimate of the
memory needed); the stored bytes are a fresh encoding with no metadata, at most
IMAGE_STORED_SIZE px on the longest side, turned upright from its EXIF orientation, plus a
thumbnail.
"""

import io
import re
import struct
import warnings
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError


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


def _check_dimensions(width: int, height: int) -> None:
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


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """`size` scaled down to at most `side` on its longest side; never enlarged."""
    scale = side / max(size)
    if scale >= 1:
        return size
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


# --- what decoding will cost, from the header alone -------------------------------------

# More chunks or segments than any encoder writes for a 5 MiB file; walking them (here and in
# Pillow, both in Python) costs CPU for nothing.
MAX_SEGMENTS = 4096
# Modes that Pillow resamples without converting first.
RESAMPLED_MODES = ("L", "LA", "RGB", "RGBA", "CMYK", "YCbCr")
# A marker after entropy-coded data: 0xFF not followed by stuffing (0x00), fill (0xFF) or a
# restart marker (0xD0-0xD7), which all belong to the data.
_JPEG_MARKER = re.compile(rb"\xff[^\x00\xff\xd0-\xd7]")
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # SOF0-SOF15, not DHT/JPG/DAC


@dataclass(frozen=True)
class Layout:
    """What a file's header says, read without decoding a pixel."""

    width: int
    height: int
    kind: str  # for messages: "progressive JPEG", "16-bit PNG"…
    # Peak memory that decoding to the stored size needs, in bytes (see _peak_bytes).
    decoding_bytes: int


def _stored_size(width: int, height: int) -> tuple[int, int]:
    return _fit((width, height), settings.IMAGE_STORED_SIZE)


def _peak_bytes(width: int, height: int, decoded_bytes_per_pixel: int) -> int:
    """Decoded pixels plus what resizing them to the stored size allocates: Pillow stores
    3-band images on 4 bytes a pixel, resamples horizontally into a (stored width × source
    height) image, then vertically, and the orientation is applied on a copy."""
    stored_width, stored_height = _stored_size(width, height)
    resampling = 4 * stored_width * (height + 2 * stored_height)
    return width * height * decoded_bytes_per_pixel + resampling


def _jpeg_scale(width: int, height: int) -> int:
    """The DCT scaling (1, 2, 4 or 8) at which libjpeg decodes a JPEG to store it: the least
    that fits IMAGE_STORED_SIZE. Decoding at 1/n costs less than decoding at full size and
    resampling (a 2837 px photo: 70 ms instead of 83 + 141 ms), so a large JPEG is stored
    between half that size and that size; nothing else resamples it."""
    side = max(width, height)
    return next((s for s in (1, 2, 4) if -(-side // s) <= settings.IMAGE_STORED_SIZE), 8)


def _too_many_segments() -> ImageRejected:
    return ImageRejected(
        f"The file has an abnormal structure (over {MAX_SEGMENTS:,} chunks or segments); "
        "save it again with an image editor."
    )


def _jpeg_layout(data: bytes) -> Layout:
    frame, scans, segments, at = b"", 0, 0, 2
    while match := _JPEG_MARKER.search(data, at):
        segments += 1
        if segments > MAX_SEGMENTS:
            raise _too_many_segments()
        marker, at = data[match.start() + 1], match.end()
        if marker == 0xD9:  # end of image: anything after it is not decoded
            break
        if marker in (0x01, 0xD8):  # markers without a length
            continue
        length = int.from_bytes(data[at : at + 2], "big")
        if marker in _JPEG_FRAMES:
            if frame:  # Pillow would take the size of the last one
                raise ImageRejected("The file is not a valid image, or it is corrupt.")
            frame = data[at + 2 : at + length]
        elif marker == 0xDA:
            # libjpeg walks every block of the image for each scan of a progressive JPEG,
            # and nothing stops a file from repeating one tiny scan thousands of times.
            scans += 1
            if scans > settings.IMAGE_JPEG_MAX_SCANS:
                raise ImageRejected(
                    f"The JPEG has too many scans (over {settings.IMAGE_JPEG_MAX_SCANS}); "
                    "save it as a standard (baseline) JPEG."
                )
        at += length
    if len(frame) < 6 or len(frame) < 6 + 3 * frame[5] or not frame[5]:
        raise ImageRejected("The file is not a valid image, or it is corrupt.")
    height, width, count = int.from_bytes(frame[1:3]), int.from_bytes(frame[3:5]), frame[5]
    _check_dimensions(width, height)
    sampling = [(frame[7 + 3 * i] >> 4, frame[7 + 3 * i] & 15) for i in range(count)]
    if not all(1 <= h <= 4 and 1 <= v <= 4 for h, v in sampling):
        raise ImageRejected("The file is not a valid image, or it is corrupt.")
    scale = _jpeg_scale(width, height)
    scaled = (-(-width // scale), -(-height // scale))
    pixel_bytes = 1 if count == 1 else 4
    decoding = _peak_bytes(*scaled, pixel_bytes)
    if scans > 1:
        # Several scans: libjpeg keeps every DCT coefficient (2 bytes) of the whole image.
        mcu_width, mcu_height = max(h for h, _ in sampling), max(v for _, v in sampling)
        blocks = sum(
            -(-width // (8 * mcu_width)) * h * -(-height // (8 * mcu_height)) * v
            for h, v in sampling
        )
        decoding += blocks * 64 * 2
    kind = "progressive JPEG" if scans > 1 else "JPEG"
    return Layout(width, height, kind, decoding)


def _png_layout(data: bytes) -> Layout:
    if data[12:16] != b"IHDR" or len(data) < 29:
        raise ImageRejected("The file is not a valid image, or it is corrupt.")
    width, height, depth, color_type = struct.unpack(">IIBB", data[16:26])
    _check_dimensions(width, height)
    transparency, chunks, at = False, 0, 8
    while at + 8 <= len(data):
        chunks += 1
        if chunks > MAX_SEGMENTS:
            raise _too_many_segments()
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        transparency |= kind == b"tRNS"
        if kind == b"IEND":
            break
        at += 12 + length
    # Pillow decodes 16-bit grey to 2 bytes a pixel; palette and 1-bit images to 1 byte,
    # converted to RGB(A) (4 bytes) before resizing; the others to 4 bytes. Resizing an image
    # with alpha makes a premultiplied full-size copy first (Image.resize).
    grey_or_palette = color_type in (0, 3)
    pixel_bytes = (2 if depth == 16 else 1) if grey_or_palette else 4
    if color_type == 3 or (color_type == 0 and depth in (1, 16)):
        pixel_bytes += 4
    if color_type in (4, 6) or transparency:
        pixel_bytes += 4
    return Layout(width, height, f"{depth}-bit PNG", _peak_bytes(width, height, pixel_bytes))


def _webp_layout(data: bytes) -> Layout:
    chunk, payload = data[12:16], data[20:30]
    if chunk == b"VP8 " and payload[3:6] == b"\x9d\x01\x2a":
        width, height = (int.from_bytes(payload[i : i + 2], "little") & 0x3FFF for i in (6, 8))
        alpha = False
    elif chunk == b"VP8L" and payload[:1] == b"\x2f":
        bits = int.from_bytes(payload[1:5], "little")
        width, height = (bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1
        alpha = bool(bits >> 28 & 1)
    elif chunk == b"VP8X" and len(payload) == 10:
        width, height = (int.from_bytes(payload[i : i + 3], "little") + 1 for i in (4, 7))
        alpha = bool(payload[0] & 0x10)
    else:
        raise ImageRejected("The file is not a valid image, or it is corrupt.")
    _check_dimensions(width, height)
    # Pillow decodes through libwebp's animation decoder: two RGBA canvases, a copy as bytes
    # and the image itself, 16 bytes a pixel, plus a premultiplied copy to resize with alpha.
    pixel_bytes = 20 if alpha else 16
    return Layout(width, height, "WebP", _peak_bytes(width, height, pixel_bytes))


_LAYOUT_READERS = {"JPEG": _jpeg_layout, "PNG": _png_layout, "WEBP": _webp_layout}


def read_layout(data: bytes, pillow_name: str) -> Layout:
    """Size, structure and decoding cost of an image, from its bytes (not decoded); refuses
    dimensions out of bounds and malformed structures on the way."""
    return _LAYOUT_READERS[pillow_name](data)


def check_cost(layout: Layout) -> None:
    """Refuse what would take more memory to decode than IMAGE_MAX_PIXELS RGBA pixels."""
    budget = 4 * settings.IMAGE_MAX_PIXELS
    if layout.decoding_bytes > budget:
        raise ImageRejected(
            f"The image needs too much memory to process ({layout.width}×{layout.height} "
            f"{layout.kind}: about {_mib(layout.decoding_bytes)}; the limit is {_mib(budget)}); "
            "save it as a standard JPEG or at a smaller size."
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
        # Method 2 of 6 encodes a noisy 3 MP image in 0.4 s instead of 0.65 s (method 4), and
        # a photo to the same size: this counts towards the CPU bound of one image.
        options = {"quality": settings.IMAGE_JPEG_QUALITY, "method": 2}
    # Nothing from the source's `info` (EXIF, XMP, ICC profile, comments, text chunks) is
    # passed on: the encoders only write metadata they are given.
    image.save(buffer, format=image_format.pillow_name, **options)
    return buffer.getvalue()


def _downscale(image: Image.Image, side: int) -> Image.Image:
    """At most `side` px on the longest side, never enlarged.

    Image.thumbnail() would need a full-size copy first; resize() makes only the small one.
    """
    size = _fit(image.size, side)
    if size == image.size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _decode(data: bytes, image_format: ImageFormat, layout: Layout) -> Image.Image:
    """The image at its stored size, upright, in the mode it is stored in.

    A JPEG is decoded straight at a reduced scale when it is larger than the stored size
    (libjpeg's DCT scaling); the full-size pixels live only inside this function.
    """
    source = _open(data, image_format)
    if source.size != (layout.width, layout.height):  # the cost was estimated for that size
        raise ImageRejected("The file is not a valid image, or it is corrupt.")
    if getattr(source, "n_frames", 1) > 1:
        raise ImageRejected("Animated images are not supported.")
    scale = _jpeg_scale(*source.size)
    # draft() picks the largest scale whose result covers the size asked for.
    source.draft(None, (source.width // scale, source.height // scale))
    # Truncated data must fail to load, whatever else in the process told Pillow to pad it:
    # importing WeasyPrint (PDFs) turns LOAD_TRUNCATED_IMAGES on for the whole process.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        source.load()
        # Modes Pillow cannot resample well (palette, 1-bit, 16-bit) are converted first;
        # the others after resizing, on fewer pixels.
        image = source if source.mode in RESAMPLED_MODES else _output_mode(source, image_format)
        image = _output_mode(_downscale(image, settings.IMAGE_STORED_SIZE), image_format)
        # The EXIF orientation travels in `info` through convert() and resize(): turning
        # the small image is cheaper, and in place when it is already upright.
        ImageOps.exif_transpose(image, in_place=True)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageRejected("The file is not a valid image, or it is corrupt.") from exc
    return image


def sanitize_image(data: bytes) -> SanitizedImage:
    """Check `data` against the image rules and return clean bytes and a thumbnail."""
    check_size(len(data))
    image_format = sniff_format(data[:16])
    layout = read_layout(data, image_format.pillow_name)
    check_cost(layout)
    clean = _decode(data, image_format, layout)
    clean.info = {}
    return SanitizedImage(
        format=image_format,
        data=_encode(clean, image_format),
        thumbnail=_encode(_downscale(clean, settings.IMAGE_THUMBNAIL_SIZE), image_format),
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
