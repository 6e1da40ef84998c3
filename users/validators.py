"""Password rules beyond Django's own (listed in AUTH_PASSWORD_VALIDATORS)."""

from django.core.exceptions import ValidationError

from users.models import User


class PasswordVarietyValidator:
    """Refuse passwords made only of whitespace, or of too few different characters
    ("        ", "zzzzzzzzzzzz", "abababababab"): they pass Django's length rule but are
    among the first an attacker tries."""

    def __init__(self, min_distinct: int = 5) -> None:
        self.min_distinct = min_distinct

    def validate(self, password: str, user: User | None = None) -> None:
        if not password.strip():
            raise ValidationError(
                "This password is only whitespace; use letters, digits or symbols.",
                code="password_blank",
            )
        if len(set(password)) < self.min_distinct:
            raise ValidationError(
                f"This password uses too few different characters; use at least "
                f"{self.min_distinct}.",
                code="password_too_repetitive",
            )

    def get_help_text(self) -> str:
        return (
            f"Your password can't be only whitespace and must use at least "
            f"{self.min_distinct} different characters."
        )
