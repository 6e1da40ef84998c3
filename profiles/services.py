from typing import Any

from images.processing import SanitizedImage
from images.storage import UNCHANGED, update_with_image
from profiles.models import Profile
from uploads.models import UploadPurpose
from uploads.services import staged_upload_claim

AVATAR_PREFIX = "avatars"


def create_profile_for_new_user(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw", False):
        Profile.objects.create(user=instance)


def profile_update(
    profile: Profile,
    *,
    avatar: SanitizedImage | None = UNCHANGED,
    avatar_key: str | None = None,
    **fields: Any,
) -> Profile:
    if avatar_key is not None:
        avatar = staged_upload_claim(
            owner_id=profile.user_id, key=avatar_key, purpose=UploadPurpose.AVATAR
        )
    update_with_image(
        profile,
        field="avatar",
        image=avatar,
        prefix=AVATAR_PREFIX,
        fields=fields,
    )
    return profile
