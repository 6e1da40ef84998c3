"""The password and token-claim rules of users/validators.py and users/tokens.py."""

import pytest
from django.core.exceptions import ValidationError

from users.tokens import parse_user_id
from users.validators import PasswordVarietyValidator


@pytest.mark.parametrize("password", [" " * 8, "\t" * 8, " \t \t\n \t "])
def test_a_password_of_whitespace_only_is_refused(password):
    with pytest.raises(ValidationError) as refused:
        PasswordVarietyValidator().validate(password)

    assert refused.value.code == "password_blank"


@pytest.mark.parametrize("password", ["z" * 12, "abababababab", "Xyx" * 5, "abcdabcdabcd"])
def test_a_password_of_fewer_than_five_different_characters_is_refused(password):
    with pytest.raises(ValidationError) as refused:
        PasswordVarietyValidator().validate(password)

    assert refused.value.code == "password_too_repetitive"


def test_five_different_characters_are_enough_and_the_minimum_can_be_changed():
    PasswordVarietyValidator().validate("abcdeabcde")

    with pytest.raises(ValidationError):
        PasswordVarietyValidator(min_distinct=6).validate("abcdeabcde")
    assert "6 different characters" in PasswordVarietyValidator(min_distinct=6).get_help_text()


@pytest.mark.parametrize(
    ("claim", "user_id"),
    [("1", 1), (42, 42), ("9223372036854775807", 2**63 - 1)],
)
def test_a_token_names_a_user_by_a_positive_64_bit_id(claim, user_id):
    assert parse_user_id(claim) == user_id


@pytest.mark.parametrize(
    "claim",
    [
        "abc",
        "1.5",
        "",
        "-1",
        "0",
        "9223372036854775808",
        "9" * 5000,
        "١٢",
        1.5,
        True,
        None,
        [1],
        {},
    ],
)
def test_a_claim_that_cannot_be_a_user_id_names_no_user(claim):
    assert parse_user_id(claim) is None
