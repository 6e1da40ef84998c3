from typing import Any

from images.processing import SanitizedImage
from images.storage import UNCHANGED, image_write, set_image
from profiles.models import Profile
from uploads.models import StagedUpload
from uploads.services import staged_upload_consume

AVATAR_PREFIX = "avatars"


def create_profile_for_new_user(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw", False):
        Profile.objects.create(user=instance)


def profile_update(
    profile: Profile,
    *,
    avatar: SanitizedImage | None = UNCHANGED,
    staged_upload: StagedUpload | None = None,
    **fields: Any,
) -> Profile:
    new_avatar = avatar if avatar is not UNCHANGED else None
    with image_write(new_avatar, prefix=AVATAR_PREFIX, owner_id=profile.user_id) as stored:
        if avatar is not UNCHANGED:
            set_image(profile, "avatar", stored)
        if staged_upload is not None:
            staged_upload_consume(staged_upload)
        for name, value in fields.items():
            setattr(profile, name, value)
        # Only what this request changed: a concurrent update of other fields survives.
        changed = [*fields, "updated_at"]
        if avatar is not UNCHANGED:
            changed += ["avatar", "avatar_thumbnail"]
        profile.save(update_fields=changed)
    return profile
