"""Account flows over HTTP, with the mails they send read from the outbox: verification,
password change and reset, e-mail change, log out everywhere; and that none of them tells
whether an address is registered."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from djoser.utils import encode_uid
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_simplejwt.tokens import RefreshToken

from tests.factories import PASSWORD, UserFactory
from tests.support.api import client_for
from tests.support.mail import html_part, link_in, only_mail_to
from users.messages import LINK_INVALID_MESSAGE
from users.models import User

pytestmark = pytest.mark.django_db

REGISTER = "/api/auth/register/"
TOKEN = "/api/auth/token/"
REFRESH = "/api/auth/token/refresh/"
ME = "/api/auth/me/"
VERIFY = "/api/auth/email/verify/"
RESEND = "/api/auth/email/verify/resend/"
CHANGE_EMAIL = "/api/auth/email/change/"
CONFIRM_EMAIL = "/api/auth/email/change/confirm/"
CHANGE_PASSWORD = "/api/auth/password/change/"
RESET = "/api/auth/password/reset/"
RESET_CONFIRM = "/api/auth/password/reset/confirm/"
LOGOUT_ALL = "/api/auth/logout/all/"
NEW_PASSWORD = "Difference-Engine-1822"


def register(anon, username="bob", email="bob@example.com"):
    body = {"username": username, "email": email, "password": PASSWORD}
    return anon.post(REGISTER, body, format="json")


def log_in(anon, username, password=PASSWORD):
    return anon.post(TOKEN, {"username": username, "password": password}, format="json")


def verified_user(**kwargs) -> User:
    return UserFactory(email_verified=True, **kwargs)


# --- Verification ---------------------------------------------------------------------


def test_registration_mails_a_verification_link_that_verifies_the_address(anon, mailoutbox):
    response = register(anon)

    assert response.status_code == 201
    assert response.json()["email_verified"] is False
    message = only_mail_to(mailoutbox, "bob@example.com")
    assert "Verify your e-mail address" in message.subject
    assert "bob" in message.body and "bob" in html_part(message)
    uid, token = link_in(message, "verify-email")

    verified = anon.post(VERIFY, {"uid": uid, "token": token}, format="json")

    assert verified.status_code == 200
    assert verified.json()["email_verified"] is True
    assert User.objects.get(username="bob").email_verified


def test_an_unverified_account_may_log_in_and_is_told_it_is_unverified(anon, user):
    response = log_in(anon, "alice")

    assert response.status_code == 200
    assert response.json()["email_verified"] is False


def test_login_may_require_a_verified_address(anon, user, settings):
    settings.ACCOUNT_UNVERIFIED_LOGIN = False

    refused = log_in(anon, "alice")
    user.email_verified = True
    user.save()
    allowed = log_in(anon, "alice")

    assert refused.status_code == 403
    assert "/api/auth/email/verify/resend/" in refused.json()["detail"]
    assert allowed.status_code == 200 and allowed.json()["email_verified"] is True


@pytest.mark.parametrize(
    "link",
    [
        {"uid": "MQ", "token": "garbage"},
        {"uid": "not-base64!", "token": "garbage"},
        {"uid": encode_uid(10**12), "token": "garbage"},
    ],
)
def test_a_bad_verification_link_is_a_400_naming_the_token(anon, user, link):
    response = anon.post(VERIFY, link, format="json")

    assert response.status_code == 400
    assert response.json() == {"token": [LINK_INVALID_MESSAGE]}


def test_a_verification_link_works_for_its_own_account_and_address_only(anon, mailoutbox):
    register(anon)
    uid, token = link_in(only_mail_to(mailoutbox, "bob@example.com"), "verify-email")
    other = UserFactory(username="carol")

    for_another_account = anon.post(
        VERIFY, {"uid": encode_uid(other.pk), "token": token}, format="json"
    )
    bob = User.objects.get(username="bob")
    bob.email = "bob@elsewhere.example"
    bob.save()
    for_another_address = anon.post(VERIFY, {"uid": uid, "token": token}, format="json")

    assert for_another_account.status_code == for_another_address.status_code == 400
    assert not User.objects.filter(email_verified=True).exists()


def test_a_verification_link_expires(anon, mailoutbox, settings):
    register(anon)
    uid, token = link_in(only_mail_to(mailoutbox, "bob@example.com"), "verify-email")
    settings.EMAIL_VERIFICATION_TIMEOUT = -1

    response = anon.post(VERIFY, {"uid": uid, "token": token}, format="json")

    assert response.status_code == 400
    assert not User.objects.get(username="bob").email_verified


def test_resend_mails_a_new_link_to_an_unverified_account(anon, user, mailoutbox):
    response = anon.post(RESEND, {"email": "ALICE@example.com"}, format="json")

    assert response.status_code == 202
    uid, token = link_in(only_mail_to(mailoutbox, "alice@example.com"), "verify-email")
    assert anon.post(VERIFY, {"uid": uid, "token": token}, format="json").status_code == 200


def test_resend_mails_nothing_to_a_verified_account(anon, mailoutbox):
    verified_user(username="vera")

    response = anon.post(RESEND, {"email": "vera@example.com"}, format="json")

    assert response.status_code == 202
    assert mailoutbox == []


# --- An address another account has verified --------------------------------------------


def test_registering_with_a_verified_address_answers_alike_and_only_tells_its_owner(
    anon, mailoutbox
):
    verified_user(username="vera")

    taken = register(anon, username="mallory", email="VERA@example.com")
    free = register(anon, username="trent", email="trent@example.com")

    assert taken.status_code == free.status_code == 201
    assert taken.json().keys() == free.json().keys()
    assert taken.json()["email_verified"] is free.json()["email_verified"] is False
    # Both accounts exist and log in alike: logging in tells nothing either.
    assert log_in(anon, "mallory").status_code == log_in(anon, "trent").status_code == 200
    notice = only_mail_to(mailoutbox, "VERA@example.com")
    assert "already belongs to a verified account" in notice.body
    assert "#/verify-email/" not in notice.body + html_part(notice)
    assert "mallory" not in notice.body
    link_in(only_mail_to(mailoutbox, "trent@example.com"), "verify-email")


def test_an_address_is_verified_by_one_account_only(anon, mailoutbox):
    register(anon, username="bob", email="shared@example.com")
    register(anon, username="eve", email="shared@example.com")
    bob_link, eve_link = (link_in(message, "verify-email") for message in mailoutbox if message.to)

    first = anon.post(VERIFY, dict(zip(["uid", "token"], bob_link, strict=True)), format="json")
    second = anon.post(VERIFY, dict(zip(["uid", "token"], eve_link, strict=True)), format="json")

    assert first.status_code == 200
    assert second.status_code == 400 and "another account" in second.json()["token"][0]
    assert list(User.objects.filter(email_verified=True).values_list("username", flat=True)) == [
        "bob"
    ]


@pytest.mark.parametrize("path", [RESET, RESEND])
def test_reset_and_resend_answer_alike_for_any_address(anon, user, path, mailoutbox):
    verified_user(username="vera")

    answers = [
        anon.post(path, {"email": address}, format="json")
        for address in ["alice@example.com", "vera@example.com", "nobody@example.com"]
    ]

    assert {answer.status_code for answer in answers} == {202}
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert not [message for message in mailoutbox if message.to == ["nobody@example.com"]]


def test_email_change_answers_alike_for_a_taken_and_a_free_address(user, mailoutbox):
    verified_user(username="vera")
    api = client_for(user)

    taken = api.post(
        CHANGE_EMAIL,
        {"new_email": "vera@example.com", "current_password": PASSWORD},
        format="json",
    )
    free = api.post(
        CHANGE_EMAIL,
        {"new_email": "new@example.com", "current_password": PASSWORD},
        format="json",
    )

    assert taken.status_code == free.status_code == 202
    assert taken.json() == free.json()
    assert "already belongs" in only_mail_to(mailoutbox, "vera@example.com").body
    link_in(only_mail_to(mailoutbox, "new@example.com"), "confirm-email")


# --- Password change ---------------------------------------------------------------------


def test_changing_the_password_revokes_every_other_refresh_token(anon, user, mailoutbox):
    old_refresh = log_in(anon, "alice").json()["refresh"]
    api = client_for(user)

    response = api.post(
        CHANGE_PASSWORD,
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        format="json",
    )

    assert response.status_code == 200
    pair = response.json()
    assert anon.post(REFRESH, {"refresh": old_refresh}, format="json").status_code == 401
    assert anon.post(REFRESH, {"refresh": pair["refresh"]}, format="json").status_code == 200
    assert log_in(anon, "alice").status_code == 401
    assert log_in(anon, "alice", NEW_PASSWORD).status_code == 200
    assert "was changed" in only_mail_to(mailoutbox, "alice@example.com").subject


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"current_password": "wrong", "new_password": NEW_PASSWORD}, "current_password"),
        ({"new_password": NEW_PASSWORD}, "current_password"),
        ({"current_password": PASSWORD, "new_password": "        "}, "new_password"),
        ({"current_password": PASSWORD, "new_password": "aaaaaaaaaaaa"}, "new_password"),
        ({"current_password": PASSWORD}, "new_password"),
    ],
)
def test_a_refused_password_change_names_the_field_and_changes_nothing(
    user, body, field, mailoutbox
):
    response = client_for(user).post(CHANGE_PASSWORD, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert mailoutbox == []


def test_a_password_is_taken_as_typed(anon):
    user = UserFactory(username="spacey", password=f" {PASSWORD} ")
    api = client_for(user)

    response = api.post(
        CHANGE_PASSWORD,
        {"current_password": f" {PASSWORD} ", "new_password": f"  {NEW_PASSWORD}"},
        format="json",
    )

    assert response.status_code == 200
    assert log_in(anon, "spacey", f"  {NEW_PASSWORD}").status_code == 200


# --- Password reset ------------------------------------------------------------------------


def test_forgot_password_reset_then_log_in_with_the_new_password(anon, user, mailoutbox):
    old_refresh = log_in(anon, "alice").json()["refresh"]

    asked = anon.post(RESET, {"email": "Alice@Example.com"}, format="json")
    uid, token = link_in(only_mail_to(mailoutbox, "alice@example.com"), "reset-password")
    reset = anon.post(
        RESET_CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD}, format="json"
    )

    assert asked.status_code == 202
    assert reset.status_code == 204
    assert log_in(anon, "alice").status_code == 401
    assert log_in(anon, "alice", NEW_PASSWORD).status_code == 200
    assert anon.post(REFRESH, {"refresh": old_refresh}, format="json").status_code == 401
    user.refresh_from_db()
    assert user.email_verified  # the link proved the mailbox


def test_a_reset_link_works_once(anon, user, mailoutbox):
    anon.post(RESET, {"email": "alice@example.com"}, format="json")
    uid, token = link_in(only_mail_to(mailoutbox, "alice@example.com"), "reset-password")
    body = {"uid": uid, "token": token, "new_password": NEW_PASSWORD}

    first = anon.post(RESET_CONFIRM, body, format="json")
    second = anon.post(RESET_CONFIRM, {**body, "new_password": "Another-Pass-2024"}, format="json")

    assert first.status_code == 204
    assert second.status_code == 400 and second.json() == {"token": [LINK_INVALID_MESSAGE]}
    assert log_in(anon, "alice", NEW_PASSWORD).status_code == 200


def test_a_reset_link_expires(anon, user, mailoutbox, monkeypatch, settings):
    anon.post(RESET, {"email": "alice@example.com"}, format="json")
    uid, token = link_in(only_mail_to(mailoutbox, "alice@example.com"), "reset-password")
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 5)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)

    response = anon.post(
        RESET_CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_weak_new_password_is_refused_and_the_link_still_works(anon, user, mailoutbox):
    anon.post(RESET, {"email": "alice@example.com"}, format="json")
    uid, token = link_in(only_mail_to(mailoutbox, "alice@example.com"), "reset-password")

    weak = anon.post(
        RESET_CONFIRM, {"uid": uid, "token": token, "new_password": "alice123"}, format="json"
    )
    strong = anon.post(
        RESET_CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD}, format="json"
    )

    assert weak.status_code == 400 and "new_password" in weak.json()
    assert strong.status_code == 204


def test_reset_reaches_only_the_verified_owner_of_an_address(anon, mailoutbox):
    owner = verified_user(username="vera")
    UserFactory(username="squatter", email="vera@example.com")

    anon.post(RESET, {"email": "vera@example.com"}, format="json")

    (message,) = mailoutbox
    uid, _ = link_in(message, "reset-password")
    assert uid == encode_uid(owner.pk)


def test_reset_mails_nothing_for_an_inactive_account_or_one_without_a_password(anon, mailoutbox):
    UserFactory(username="gone", is_active=False)
    no_password = UserFactory(username="sso")
    no_password.set_unusable_password()
    no_password.save()

    for address in ["gone@example.com", "sso@example.com"]:
        assert anon.post(RESET, {"email": address}, format="json").status_code == 202

    assert mailoutbox == []


# --- E-mail change ---------------------------------------------------------------------------


def test_changing_the_email_moves_the_account_once_the_new_address_confirms(anon, user, mailoutbox):
    api = client_for(user)

    asked = api.post(
        CHANGE_EMAIL,
        {"new_email": "alice@new.example", "current_password": PASSWORD},
        format="json",
    )
    user.refresh_from_db()
    assert user.email == "alice@example.com"  # not before the link is opened
    (token,) = link_in(only_mail_to(mailoutbox, "alice@new.example"), "confirm-email")

    confirmed = anon.post(CONFIRM_EMAIL, {"token": token}, format="json")
    again = anon.post(CONFIRM_EMAIL, {"token": token}, format="json")

    assert asked.status_code == 202
    assert confirmed.status_code == 200
    assert confirmed.json()["email"] == "alice@new.example"
    user.refresh_from_db()
    assert (user.email, user.email_verified) == ("alice@new.example", True)
    notice = only_mail_to(mailoutbox, "alice@example.com")
    assert "was changed" in notice.subject
    assert "alice@new.example" not in notice.body  # only a hint of the new address
    assert again.status_code == 400


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"new_email": "new@example.com", "current_password": "wrong"}, "current_password"),
        ({"new_email": "new@example.com"}, "current_password"),
        ({"new_email": "not-an-address", "current_password": PASSWORD}, "new_email"),
        ({"new_email": "ALICE@example.com", "current_password": PASSWORD}, "new_email"),
    ],
)
def test_a_refused_email_change_names_the_field_and_mails_nothing(user, body, field, mailoutbox):
    response = client_for(user).post(CHANGE_EMAIL, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert mailoutbox == []


def test_an_email_change_link_cannot_take_an_address_verified_meanwhile(anon, user, mailoutbox):
    client_for(user).post(
        CHANGE_EMAIL, {"new_email": "new@example.com", "current_password": PASSWORD}, format="json"
    )
    (token,) = link_in(only_mail_to(mailoutbox, "new@example.com"), "confirm-email")
    verified_user(username="newbie", email="new@example.com")

    response = anon.post(CONFIRM_EMAIL, {"token": token}, format="json")

    assert response.status_code == 400 and "token" in response.json()
    user.refresh_from_db()
    assert user.email == "alice@example.com"


@pytest.mark.parametrize("token", ["", "garbage", "x" * 2000])
def test_a_bad_email_change_token_is_a_400(anon, token):
    response = anon.post(CONFIRM_EMAIL, {"token": token}, format="json")

    assert response.status_code == 400
    assert "token" in response.json()


@pytest.mark.parametrize("path", [VERIFY, CONFIRM_EMAIL, RESET_CONFIRM, RESET])
def test_a_lone_surrogate_in_a_link_or_address_is_a_400(anon, path):
    # Raw JSON: the test client cannot encode a lone surrogate itself.
    body = '{"uid": "\\ud800", "token": "\\ud800", "email": "\\ud800@x.example"}'

    response = anon.post(path, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()


def test_a_verification_token_does_not_confirm_an_email_change(anon, mailoutbox):
    register(anon)
    _, token = link_in(only_mail_to(mailoutbox, "bob@example.com"), "verify-email")

    assert anon.post(CONFIRM_EMAIL, {"token": token}, format="json").status_code == 400


# --- Log out everywhere ----------------------------------------------------------------------


def test_log_out_everywhere_revokes_every_refresh_token(anon, user, other_user):
    refreshes = [log_in(anon, "alice").json()["refresh"] for _ in range(3)]
    others = str(RefreshToken.for_user(other_user))

    response = client_for(user).post(LOGOUT_ALL)

    assert response.status_code == 204
    for refresh in refreshes:
        assert anon.post(REFRESH, {"refresh": refresh}, format="json").status_code == 401
    assert anon.post(REFRESH, {"refresh": others}, format="json").status_code == 200


def test_account_endpoints_need_a_token(anon):
    for path in [LOGOUT_ALL, CHANGE_PASSWORD, CHANGE_EMAIL]:
        assert anon.post(path, {}, format="json").status_code == 401


# --- Throttles -------------------------------------------------------------------------------


@pytest.fixture
def strict_rates(monkeypatch, cleared_throttle_counts):
    rates = {
        **SimpleRateThrottle.THROTTLE_RATES,
        "account_email": "4/hour",
        "account_email_address": "2/hour",
        "password_check": "3/hour",
    }
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


@pytest.mark.parametrize("path", [RESET, RESEND])
def test_mails_to_one_address_are_limited_whoever_asks(anon, path, strict_rates):
    answers = [
        anon.post(path, {"email": "x@example.com"}, format="json", REMOTE_ADDR=f"10.0.0.{n}")
        for n in range(3)
    ]

    assert [answer.status_code for answer in answers] == [202, 202, 429]
    assert "Retry-After" in answers[2]


def test_one_client_is_limited_across_addresses(anon, strict_rates):
    answers = [anon.post(RESET, {"email": f"x{n}@example.com"}, format="json") for n in range(5)]

    assert [answer.status_code for answer in answers] == [202] * 4 + [429]


def test_password_checks_are_limited_per_account(user, strict_rates):
    api = client_for(user)
    body = {"current_password": "wrong", "new_password": NEW_PASSWORD}

    answers = [api.post(CHANGE_PASSWORD, body, format="json") for _ in range(4)]

    assert [answer.status_code for answer in answers] == [400, 400, 400, 429]


def test_one_address_gets_at_most_its_hours_budget_of_unsolicited_mails(anon, mailoutbox, settings):
    settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = 3
    verified_user(username="vera")

    answers = [register(anon, username=f"flood{n}", email="vera@example.com") for n in range(5)]
    own_change = client_for(User.objects.get(username="vera")).post(
        CHANGE_PASSWORD,
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        format="json",
    )

    assert {answer.status_code for answer in answers} == {201}
    assert len({tuple(answer.json()) for answer in answers}) == 1
    to_vera = [message.subject for message in mailoutbox if message.to == ["vera@example.com"]]
    # Three notices, then nothing; what the owner does herself still reaches her.
    assert len([subject for subject in to_vera if "tried to use" in subject]) == 3
    assert own_change.status_code == 200
    assert any("was changed" in subject for subject in to_vera)


# Valid to the e-mail validator (it allows 320 characters), longer than the column.
LONG_ADDRESS = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"


@pytest.mark.parametrize(
    ("path", "body", "field", "with_token"),
    [
        (
            REGISTER,
            {"username": "long", "password": PASSWORD, "email": LONG_ADDRESS},
            "email",
            False,
        ),
        (RESET, {"email": LONG_ADDRESS}, "email", False),
        (RESEND, {"email": LONG_ADDRESS}, "email", False),
        (
            CHANGE_EMAIL,
            {"current_password": PASSWORD, "new_email": LONG_ADDRESS},
            "new_email",
            True,
        ),
    ],
)
def test_an_address_longer_than_the_column_is_a_400_naming_it(
    anon, user, path, body, field, with_token, mailoutbox
):
    client = client_for(user) if with_token else anon

    response = client.post(path, body, format="json")

    assert response.status_code == 400
    assert "254" in response.json()[field][0]
    assert not User.objects.filter(username="long").exists()
    assert mailoutbox == []
