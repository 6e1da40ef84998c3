from django.db import models

from resumes.models import Resume


class ResumePDF(models.Model):
    """The stored PDF of a résumé in one theme, rendered from the résumé's state that
    `fingerprint` identifies; a newer state (or theme files) makes it stale."""

    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="pdfs")
    theme = models.CharField(max_length=40)
    fingerprint = models.CharField(max_length=64)
    # Written only by pdfs.services (generated keys), never by forms.
    file = models.FileField(max_length=255, editable=False)
    pages = models.PositiveSmallIntegerField()
    size = models.PositiveIntegerField()
    rendered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "résumé PDF"
        constraints = [
            models.UniqueConstraint(fields=["resume", "theme"], name="resume_pdf_one_per_theme")
        ]

    def __str__(self) -> str:
        return f"{self.resume_id}/{self.theme}"
