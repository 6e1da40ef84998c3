from functools import partial
from typing import Any

from images.processing import SanitizedImage
from images.storage import UNCHANGED, update_with_image
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
    update_with_image(
        profile,
        field="avatar",
        image=avatar,
        prefix=AVATAR_PREFIX,
        fields=fields,
        in_transaction=partial(staged_upload_consume, staged_upload) if staged_upload else None,
    )
    return profile
