"""API clients and addresses."""

from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from users.models import User


def client_for(user: User) -> APIClient:
    """A client that sends `user`'s access token with every request."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


def public(slug: str) -> str:
    """The public résumé endpoint of a share slug."""
    return f"/api/public/resumes/{slug}/"
