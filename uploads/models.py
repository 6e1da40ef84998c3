from django.conf import settings
from django.db import models


class UploadPurpose(models.TextChoices):
    RESUME_IMAGE = "resume-image", "Résumé image"
    AVATAR = "avatar", "Avatar"


class StagedUpload(models.Model):
    """A presigned POST issued to a user: one staging key, claimable once."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staged_uploads"
    )
    key = models.CharField(max_length=255, unique=True)
    purpose = models.CharField(max_length=20, choices=UploadPurpose.choices)
    content_type = models.CharField(max_length=50)
    declared_size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["claimed_at", "created_at"], name="staged_unclaimed_idx")]

    def __str__(self) -> str:
        return self.key
