from collections.abc import Iterator

from django.apps import AppConfig


def referenced_avatars() -> Iterator[str]:
    from profiles.models import Profile

    for avatar, thumbnail in Profile.objects.exclude(avatar="").values_list(
        "avatar", "avatar_thumbnail"
    ):
        yield from (avatar, thumbnail)


class ProfilesConfig(AppConfig):
    name = "profiles"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_save

        from images.orphans import register_prefix
        from profiles.services import AVATAR_PREFIX, create_profile_for_new_user

        # Every user gets a profile, however the user was created (API, admin, createsuperuser).
        post_save.connect(
            create_profile_for_new_user,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="profiles.create_profile_for_new_user",
        )
        register_prefix(f"{AVATAR_PREFIX}/", referenced_avatars)
