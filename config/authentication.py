"""Bearer-token authentication."""

from django.core.exceptions import ValidationError
from rest_framework_simplejwt.authentication import JWTAuthentication as SimpleJWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from config.parsers import number_problem
from users.models import User


class JWTAuthentication(SimpleJWTAuthentication):
    """simplejwt's, with a 401 for a validly signed token whose user id is no primary key.

    simplejwt looks the id up as it is: "abc", a list or a 30-digit number reached the
    database and answered 500. Only this service signs tokens, so such a token means a
    leaked or reused signing key; it is refused like any invalid token.
    """

    def get_user(self, validated_token: Token) -> User:
        user_id = validated_token.get(api_settings.USER_ID_CLAIM)
        try:
            # simplejwt writes the id as a string; anything else is no id of ours.
            primary_key = User._meta.pk.to_python(user_id) if isinstance(user_id, str) else None
        except ValidationError:
            primary_key = None
        if primary_key is None or number_problem(primary_key):
            raise InvalidToken("Token contained no recognizable user identification")
        return super().get_user(validated_token)
