"""Login lockouts: django-axes, with one failure limit and cool-off per rule.

axes records every failed login (API token endpoint and admin) in its AccessAttempt table,
one row per username, address and user agent, holding the number of failures and the time
of the latest. axes itself has one limit and one cool-off for all its lockout parameters; a
stranger must not be able to lock a user out for long, so the rules differ here:

- the same username from the same address: `LOGIN_LOCKOUT_FAILURES` failures lock that
  pair for `LOGIN_LOCKOUT_MINUTES` (the brute-force case; the owner elsewhere is unaffected);
- one address, any usernames: `LOGIN_LOCKOUT_ADDRESS_FAILURES`, same cool-off (spraying);
- one username from any addresses: `LOGIN_LOCKOUT_ACCOUNT_FAILURES` lock the account for
  only `LOGIN_LOCKOUT_ACCOUNT_MINUTES` (a distributed attack; the owner waits minutes).

A rule counts the failures of the rows whose latest failure is within its cool-off, so a
lockout ends one cool-off after the last failure that counted. Attempts refused during a
lockout are not recorded (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False): retrying
does not extend it. A successful login clears that username's failures from that address.
The same answer is given whether or not the username exists.
"""

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

# AccessAttempt.username's length.
_USERNAME_MAX = 255


@dataclass(frozen=True)
class LockoutRule:
    fields: tuple[str, ...]  # the AccessAttempt fields failures are grouped by
    failures: int
    cool_off: timedelta


def lockout_rules() -> list[LockoutRule]:
    return [
        LockoutRule(tuple(fields), failures, timedelta(minutes=minutes))
        for fields, failures, minutes in settings.LOGIN_LOCKOUT_RULES
    ]


def client_ip(request: HttpRequest) -> str | None:
    """The client address exactly as the throttles see it (NUM_PROXIES), so that a lockout
    and a throttle can never disagree about who the client is. axes stores it in an IP
    address column: anything else falls back to the socket's address."""
    ident = BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address(ident))
    except ValueError:
        return request.META.get("REMOTE_ADDR")


def lockout_username(request: HttpRequest, credentials: Mapping | None) -> str | None:
    """The username axes counts failures under: lower-cased, as logins ignore case."""
    source = credentials or getattr(request, "data", None) or request.POST
    username = source.get("username") if isinstance(source, Mapping) else None
    return username.lower()[:_USERNAME_MAX] if isinstance(username, str) else None


def lockout_ends(request: HttpRequest, credentials: Mapping | None = None) -> datetime | None:
    """When the longest lockout applying to this login attempt ends, or None."""
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    client = {
        "username": get_client_username(request, credentials),
        "ip_address": client_ip(request),
    }
    ends = []
    for rule in lockout_rules():
        attempts = AccessAttempt.objects.filter(
            attempt_time__gt=now - rule.cool_off, **{field: client[field] for field in rule.fields}
        ).aggregate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
        if (attempts["failures"] or 0) >= rule.failures:
            ends.append(attempts["latest"] + rule.cool_off)
    return max(ends, default=None)


def retry_after_seconds(ends: datetime) -> int:
    return max(1, ceil((ends - timezone.now()).total_seconds()))


def lockout_message(seconds: int) -> str:
    minutes = ceil(seconds / 60)
    unit = "minute" if minutes == 1 else "minutes"
    return (
        f"Too many failed logins. Try again in {minutes} {unit}, and check the username and "
        "password first: failures during the wait are refused without being checked."
    )


class TieredLockoutHandler(AxesDatabaseHandler):
    """axes' database handler (shared by every process and instance through the database),
    with the rules above instead of one limit."""

    def get_failures(self, request: HttpRequest, credentials: Mapping | None = None) -> int:
        # axes locks out once this reaches AXES_FAILURE_LIMIT (1): it counts locking rules.
        return int(lockout_ends(request, credentials) is not None)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Mapping | None
) -> HttpResponse:
    """The admin login's answer during a lockout (AXES_LOCKOUT_CALLABLE); the API answers
    its own JSON 429 (users.serializers.LoginSerializer)."""
    ends = lockout_ends(request, credentials)
    seconds = retry_after_seconds(ends) if ends else 60
    page = render_to_string("users/lockout.html", {"message": lockout_message(seconds)})
    response = HttpResponse(page, status=429)
    response["Retry-After"] = str(seconds)
    return response
