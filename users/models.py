from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class CaseInsensitiveUserManager(UserManager):
    def get_by_natural_key(self, username: str | None) -> "User":
        # Usernames are unique ignoring case, so "Alice" finds alice's account: logins (API
        # and admin) ignore case as registration does.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """The account that owns profiles and résumés. Usernames are unique ignoring case; so are
    verified e-mail addresses. An unverified address may be shared: registering with an
    address that is taken must look exactly like registering with a new one (users/services.py),
    so the account is created and its address stays unverified until the mailbox's owner says
    otherwise."""

    email = models.EmailField("email address")
    email_verified = models.BooleanField(
        "email verified",
        default=False,
        help_text="Whether the owner of the address opened a link sent to it.",
    )

    objects = CaseInsensitiveUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(email_verified=True),
                name="users_user_verified_email_ci_unique",
            ),
            models.UniqueConstraint(Lower("username"), name="users_user_username_ci_unique"),
        ]
        indexes = [models.Index(Lower("email"), name="users_user_email_ci_idx")]
