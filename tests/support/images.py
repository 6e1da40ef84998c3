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


def jpeg_with_metadata(orientation: int = 6, size: tuple[int, int] = (60, 30)) -> bytes:
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
        halves(size),
        "JPEG",
        exif=exif,
        icc_profile=icc,
        comment=SECRET_COMMENT,
        xmp=xmp,
        quality=95,
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


# --- hostile files (tests/images/test_hostile_images.py) ------------------------------

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


# --- decoding bombs: few bytes, costly to decode (tests/images/test_hostile_images.py) ---


def jpeg_segments(data: bytes) -> list[bytes]:
    """A JPEG split into its segments, each scan (SOS) kept with its entropy-coded data."""
    segments, at = [], 2
    while data[at + 1] != 0xD9:
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        end = at + 2 + length
        if data[at + 1] == 0xDA:
            # Entropy-coded data ends at the first marker that is not a stuffed 0xFF or a restart.
            end = next(
                i
                for i in range(data.index(b"\xff", end), len(data))
                if data[i] == 0xFF and data[i + 1] not in (0x00, 0xFF, *range(0xD0, 0xD8))
            )
        segments.append(data[at:end])
        at = end
    return [data[:2], *segments, data[at:]]


def jpeg_scan_bomb(size: tuple[int, int] = (12_000, 3_333), scans: int = 10_000) -> bytes:
    """A valid progressive JPEG whose last scan (a table and an AC refinement of a flat
    image, ~90 bytes) is repeated `scans` times: libjpeg walks every block for each one."""
    flat = encode(Image.new("L", size, 128), "JPEG", progressive=True)
    *head, table, scan, end = jpeg_segments(flat)
    assert table[1] == 0xC4 and scan[1] == 0xDA
    return b"".join([*head, (table + scan) * scans, end])


class _Bits:
    """A little-endian bit writer, the order of WebP lossless (VP8L) bitstreams."""

    def __init__(self) -> None:
        self.value, self.count = 0, 0

    def put(self, value: int, bits: int) -> None:
        self.value |= value << self.count
        self.count += bits

    def bytes(self) -> bytes:
        return self.value.to_bytes((self.count + 7) // 8, "little")


def riff_webp(chunk: bytes, payload: bytes) -> bytes:
    body = chunk + struct.pack("<I", len(payload)) + payload + b"\0" * (len(payload) % 2)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def flat_lossless_webp(size: tuple[int, int], argb: tuple[int, int, int, int]) -> bytes:
    """A valid lossless WebP of one colour: each channel's prefix code has a single symbol,
    which takes no bits, so any size costs a few bytes (14-bit sides: up to 16384 px)."""
    bits = _Bits()
    bits.put(size[0] - 1, 14)
    bits.put(size[1] - 1, 14)
    bits.put(1, 1)  # alpha is used
    bits.put(0, 3)  # version
    bits.put(0, 1)  # no transform
    bits.put(0, 1)  # no colour cache
    bits.put(0, 1)  # no meta prefix codes
    alpha, red, green, blue = argb
    for symbol in (green, red, blue, alpha, 0):  # the distance code comes last
        bits.put(1, 1)  # simple code
        bits.put(0, 1)  # one symbol
        bits.put(1, 1)  # written on 8 bits
        bits.put(symbol, 8)
    return riff_webp(b"VP8L", b"\x2f" + bits.bytes())


def zeros_zlib(size: int) -> bytes:
    """zlib data of `size` zero bytes, made quickly: one compressed MiB repeated (a full
    flush makes each MiB independent of the ones before)."""
    mib = 1 << 20
    count, rest = divmod(size, mib)
    compressor = zlib.compressobj(9, wbits=-15)
    block = compressor.compress(bytes(mib)) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(bytes(rest)) + compressor.flush()
    adler32 = (size % 65521) << 16 | 1  # of zeros only: a stays 1, b adds 1 a byte
    return b"\x78\xda" + block * count + tail + struct.pack(">I", adler32)


def png_16bit(size: tuple[int, int], color_type: int = 6) -> bytes:
    """A valid 16-bit PNG (RGBA by default) of zeros: megapixels in a few hundred KB."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    idat = zeros_zlib((1 + size[0] * channels * 2) * size[1])  # a filter byte, then samples
    header = struct.pack(">IIBBBBB", size[0], size[1], 16, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def jpeg_with_segments(segments: bytes) -> bytes:
    """A valid JPEG with `segments` (marker, length, data…) right after its start marker."""
    jpeg = encode(halves(), "JPEG")
    return jpeg[:2] + segments + jpeg[2:]


def phone_photo(size: tuple[int, int] = (8160, 6120)) -> bytes:
    """A baseline JPEG the size of a 50 MP phone photo (flat, so only ~1 MB)."""
    return encode(Image.new("RGB", size, (90, 120, 150)), "JPEG")


def jpeg_with_two_frames(width: int, height: int) -> bytes:
    """A valid small JPEG with a second frame header (SOF0) claiming width × height after
    the real one: Pillow takes the size from the last."""
    data = encode(Image.new("RGB", (32, 32), "gray"), "JPEG")
    start = data.index(b"\xff\xc0")
    end = start + 2 + struct.unpack(">H", data[start + 2 : start + 4])[0]
    frame = bytearray(data[start:end])
    frame[5:9] = struct.pack(">HH", height, width)
    return data[:end] + bytes(frame) + data[end:]


def noisy_webp(size: tuple[int, int], quality: int) -> bytes:
    """A lossy WebP of noise: the most work per byte for libwebp's decoder and encoder."""
    return encode(Image.effect_noise(size, 100).convert("RGB"), "WEBP", quality=quality, method=0)


def striped_png(size: tuple[int, int]) -> bytes:
    """A valid RGBA PNG whose rows all repeat one row of noise: small in bytes, while its
    scaled-down copy is still noise (the most work for the PNG encoder)."""
    row = b"\0" + os.urandom(size[0] * 4)
    compressor = zlib.compressobj(1)
    idat = b"".join(compressor.compress(row) for _ in range(size[1])) + compressor.flush()
    header = struct.pack(">IIBBBBB", size[0], size[1], 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )
