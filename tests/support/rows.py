"""The rows that name stored objects, to compare before and after a request."""

from profiles.models import Profile
from resumes.models import Resume
from uploads.models import StagedUpload


def rows() -> dict[str, list[dict]]:
    """Every résumé, profile and staged upload, as dictionaries, in primary-key order."""
    return {
        "resumes": list(Resume.objects.order_by("pk").values()),
        "profiles": list(Profile.objects.order_by("pk").values()),
        "uploads": list(StagedUpload.objects.order_by("pk").values()),
    }
