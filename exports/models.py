from django.conf import settings
from django.db import models
from django.db.models import Q


class AccountExport(models.Model):
    """A zip of everything an account holds, built by a background task, stored under the
    account's own key until `expires_at`, deleted then and with the account."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    # Written only by exports.services (generated keys), never by forms; empty until ready.
    file = models.FileField(max_length=255, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Why it failed, for the account's owner; empty unless it did.
    problem = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once it is built or has failed: the row (and its object) goes after this.
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="export_user_created_idx")]
        constraints = [
            # One export at a time: another request while one is pending gets that one.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="export_one_pending_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.pk} ({self.status})"
