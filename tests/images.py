"""Image files for the tests, generated in memory (no binaries are committed)."""

import io
import os
import struct
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
