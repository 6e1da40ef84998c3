from django.db import transaction

from users.models import User


@transaction.atomic
def user_register(*, username: str, email: str, password: str) -> User:
    """Create an active account; its profile is created alongside (profiles app)."""
    return User.objects.create_user(username=username, email=email, password=password)
