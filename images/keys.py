"""Object keys for uploaded images.

Keys are generated on the server: the client's file name never reaches storage, and a
fresh UUID means an upload can never overwrite another object.
"""

import uuid
from pathlib import PurePath
from typing import Any

_EXTENSION_BY_PIL_FORMAT = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def image_key(prefix: str, owner_id: int, extension: str) -> str:
    return f"{prefix}/{owner_id}/{uuid.uuid4().hex}.{extension}"


def _extension(filename: str) -> str:
    # By the time a key is made the serializer has verified the file is an image;
    # its own suffix is only used when it is one of the formats we store.
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    suffix = "jpg" if suffix == "jpeg" else suffix
    return suffix if suffix in _EXTENSION_BY_PIL_FORMAT.values() else "img"


def resume_image_upload_to(instance: Any, filename: str) -> str:
    return image_key("resumes", instance.owner_id, _extension(filename))


def avatar_upload_to(instance: Any, filename: str) -> str:
    return image_key("avatars", instance.user_id, _extension(filename))
