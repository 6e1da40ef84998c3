from django.apps import AppConfig
from django.core import checks


class UsersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "users"

    def ready(self) -> None:
        from users.checks import account_mail_check

        checks.register(account_mail_check, checks.Tags.security, deploy=True)
