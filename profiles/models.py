from django.conf import settings
from django.db import models


class Profile(models.Model):
    """Public-facing details of a user, created together with the user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=150, blank=True)
    headline = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True)
    location = models.CharField(max_length=200, blank=True)
    website = models.URLField(blank=True)
    # Written only through profiles.services (sanitized, generated keys), never by forms.
    avatar = models.ImageField(max_length=255, blank=True, null=True, editable=False)
    avatar_thumbnail = models.ImageField(max_length=255, blank=True, null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()
