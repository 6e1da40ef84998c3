from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_save

        from profiles.attachments import AVATAR
        from profiles.services import create_profile_for_new_user
        from storage.attachments import register

        # Every user gets a profile, however the user was created (API, admin, createsuperuser).
        post_save.connect(
            create_profile_for_new_user,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="profiles.create_profile_for_new_user",
        )
        register(AVATAR)
