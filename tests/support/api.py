"""API clients and addresses."""

from typing import Any

from django.test import TestCase
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from users.models import User


class APIClientCommittingRequests(APIClient):
    """A test client whose requests run their on-commit callbacks (deleting replaced objects,
    for one) when they end, as their commit would. Tests marked django_db run inside one
    transaction that never commits; this keeps them off the slower transactional tests, whose
    callbacks run at each real commit (and are then not run again here)."""

    def request(self, **kwargs: Any) -> Any:
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**kwargs)


def client_for(user: User) -> APIClient:
    """A client that sends `user`'s access token with every request."""
    client = APIClientCommittingRequests()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


def public(slug: str) -> str:
    """The public résumé endpoint of a share slug."""
    return f"/api/public/resumes/{slug}/"


def public_page(slug: str) -> str:
    """The public page of a share slug (what share_url opens)."""
    return f"/r/{slug}/"
