from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower


class CaseInsensitiveUserManager(UserManager):
    def get_by_natural_key(self, username: str | None) -> "User":
        # Usernames are unique ignoring case, so "Alice" finds alice's account: logins (API
        # and admin) ignore case as registration does.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """The account that owns profiles and résumés; username and e-mail are unique, ignoring
    case."""

    email = models.EmailField("email address")

    objects = CaseInsensitiveUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="users_user_email_ci_unique"),
            models.UniqueConstraint(Lower("username"), name="users_user_username_ci_unique"),
        ]
