from django.conf import settings
from django.db import models

from images.keys import resume_image_upload_to


class Resume(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resumes"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    image = models.ImageField(
        upload_to=resume_image_upload_to, blank=True, null=True, max_length=255
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="resume_owner_created_idx")]

    def __str__(self) -> str:
        return self.title
