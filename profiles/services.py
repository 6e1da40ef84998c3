from typing import Any

from django.db import transaction

from images.storage import assign_image
from profiles.models import Profile


def create_profile_for_new_user(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw", False):
        Profile.objects.create(user=instance)


@transaction.atomic
def profile_update(profile: Profile, **fields: Any) -> Profile:
    if "avatar" in fields:
        assign_image(profile, "avatar", fields.pop("avatar"))
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile
