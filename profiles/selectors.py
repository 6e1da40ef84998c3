from django.contrib.auth.base_user import AbstractBaseUser

from profiles.models import Profile


def profile_get_for_user(user: AbstractBaseUser) -> Profile:
    return Profile.objects.select_related("user").get(user=user)
