from typing import Any

from django.core.files import File

from profiles.attachments import AVATAR
from profiles.models import Profile
from storage.services import UNCHANGED, update_with_image
from uploads.services import incoming_image


def create_profile_for_new_user(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw", False):
        Profile.objects.create(user=instance)


def profile_update(
    profile: Profile,
    *,
    display_name: str = UNCHANGED,
    headline: str = UNCHANGED,
    bio: str = UNCHANGED,
    location: str = UNCHANGED,
    website: str = UNCHANGED,
    avatar: File | None = UNCHANGED,
    avatar_key: str | None = None,
) -> Profile:
    """Change the arguments given (UNCHANGED: not sent); `avatar=None` removes the avatar.
    The avatar is a file (`avatar`) or a direct upload's key (`avatar_key`)."""
    new_avatar = incoming_image(AVATAR, owner_id=profile.user_id, file=avatar, key=avatar_key)
    fields = {
        "display_name": display_name,
        "headline": headline,
        "bio": bio,
        "location": location,
        "website": website,
    }
    update_with_image(profile, attachment=AVATAR, image=new_avatar, fields=fields)
    return profile
