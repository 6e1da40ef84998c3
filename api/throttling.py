from collections.abc import Callable
from types import SimpleNamespace

from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle


def throttle_scope(scope: str) -> Callable:
    """Give an `@api_view` view a ScopedRateThrottle scope (`api_view` copies none over).

    Put it above `@api_view`, with `@throttle_classes([ScopedRateThrottle])` below; the rate
    is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].
    """

    def decorate(view: Callable) -> Callable:
        view.cls.throttle_scope = scope
        return view

    return decorate


def throttle_wait(request: HttpRequest, scope: str) -> float | None:
    """For a plain Django view: None if `request` may go on, else the seconds to wait.

    It counts the request against `scope` exactly as an anonymous `@api_view` with that
    scope does (ScopedRateThrottle, the client's address), so both share one budget.
    """
    throttle = ScopedRateThrottle()
    if throttle.allow_request(
        Request(request, authenticators=()), SimpleNamespace(throttle_scope=scope)
    ):
        return None
    return throttle.wait() or 1.0
