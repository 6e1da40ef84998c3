"""Model factories (factory_boy). Every user's profile comes from the post_save signal
(profiles/apps.py), as it does for users made any other way."""

import uuid
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from resumes.models import Resume
from uploads.models import StagedUpload, UploadPurpose
from uploads.services import staging_prefix
from users.models import User

PASSWORD = "correct-horse-battery-staple-42"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        """Every user's password is PASSWORD unless the test names another."""
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class ResumeFactory(DjangoModelFactory):
    class Meta:
        model = Resume

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Résumé {n}")


class StagedUploadFactory(DjangoModelFactory):
    """An issued, unclaimed upload ticket (its object is not in the bucket)."""

    class Meta:
        model = StagedUpload

    owner = factory.SubFactory(UserFactory)
    purpose = UploadPurpose.RESUME_IMAGE
    content_type = "image/jpeg"
    declared_size = 1000
    key = factory.LazyAttribute(
        lambda upload: f"{staging_prefix(upload.owner.pk)}{uuid.uuid4().hex}.jpg"
    )
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
