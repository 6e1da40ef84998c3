from collections.abc import Callable


def throttle_scope(scope: str) -> Callable:
    """Give an `@api_view` view a ScopedRateThrottle scope (`api_view` copies none over).

    Put it above `@api_view`, with `@throttle_classes([ScopedRateThrottle])` below; the rate
    is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].
    """

    def decorate(view: Callable) -> Callable:
        view.cls.throttle_scope = scope
        return view

    return decorate
