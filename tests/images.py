"""Image files for the tests, generated in memory (no binaries are committed)."""

import io
import os
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms
from PIL.ExifTags import GPS, IFD, Base

SECRET_COMMENT = b"secret-comment-do-not-keep"


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def halves(size: tuple[int, int] = (60, 30)) -> Image.Image:
    """Left half red, right half blue: shows which way an image was turned."""
    image = Image.new("RGB", size, "blue")
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    return image


def jpeg_with_metadata(orientation: int = 6) -> bytes:
    """A JPEG carrying EXIF (orientation, GPS, camera), XMP, an ICC profile and a comment."""
    exif = Image.Exif()
    exif[Base.Orientation] = orientation
    exif[Base.Make] = "SpyCam"
    exif[Base.ImageDescription] = "home address"
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "N"
    gps[GPS.GPSLatitude] = (51.0, 30.0, 12.5)
    gps[GPS.GPSLongitudeRef] = "W"
    gps[GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>secret-xmp</rdf:RDF></x:xmpmeta>'
    return encode(
        halves(), "JPEG", exif=exif, icc_profile=icc, comment=SECRET_COMMENT, xmp=xmp, quality=95
    )


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int, idat: bytes = b"not zlib data") -> bytes:
    """A PNG whose header claims width × height pixels, with a bogus body."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) is rewritten to claim width × height."""
    data = bytearray(encode(Image.new("RGB", (32, 32), "gray"), "JPEG"))
    sof = data.index(b"\xff\xc0")
    # marker(2) length(2) precision(1) height(2) width(2)
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def animated(fmt: str) -> bytes:
    frames = [Image.new("RGB", (32, 32), color) for color in ("red", "green", "blue")]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)


def noise_png(size: tuple[int, int]) -> bytes:
    """A PNG that does not compress, to exceed byte limits with few pixels."""
    return encode(Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)), "PNG")


def image_file(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, encode(halves(), "JPEG"), content_type="image/jpeg")


# --- hostile files (tests/test_hostile_uploads.py) -------------------------------------

ZIP_MAGIC = b"PK\x03\x04"
SCRIPT = b"<script>alert(document.cookie)</script>"


def zip_archive(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def jpeg_zip_polyglot() -> bytes:
    """A valid JPEG with a ZIP archive after its end marker: both a photo and an archive."""
    archive = zip_archive({"shell.php": b"<?php system($_GET['c']); ?>"})
    return encode(halves(), "JPEG") + archive


def jpeg_with_huge_exif(size: int = 60_000) -> bytes:
    """A JPEG whose EXIF holds a `size`-byte UserComment and a long ImageDescription
    (an APP1 segment near its 64 KiB maximum), both made of SECRET_COMMENT."""
    exif = Image.Exif()
    exif[Base.ImageDescription] = (SECRET_COMMENT * 100).decode()
    exif.get_ifd(IFD.Exif)[0x9286] = b"ASCII\0\0\0" + SECRET_COMMENT * (size // len(SECRET_COMMENT))
    return encode(halves(), "JPEG", exif=exif)


def png_with_chunk(chunk: bytes, before: bytes = b"IDAT") -> bytes:
    """A valid PNG with `chunk` (see png_chunk) inserted before its first `before` chunk."""
    png = encode(halves(), "PNG")
    at = png.index(before) - 4  # the chunk's length field
    return png[:at] + chunk + png[at:]


def padded_png(total_size: int) -> bytes:
    """A valid PNG of exactly `total_size` bytes: a private ancillary chunk holds the rest."""
    overhead = len(png_with_chunk(png_chunk(b"prVt", b"")))
    return png_with_chunk(png_chunk(b"prVt", b"\0" * (total_size - overhead)))


def png_text_bomb(expanded: int = 16 * 1024 * 1024) -> bytes:
    """A valid PNG with a zTXt chunk that inflates from ~16 KB to `expanded` bytes."""
    return png_with_chunk(png_chunk(b"zTXt", b"Comment\0\0" + zlib.compress(b"A" * expanded, 9)))
