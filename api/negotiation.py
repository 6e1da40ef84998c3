from collections.abc import Callable

from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


class FirstRenderer(BaseContentNegotiation):
    """The view's first renderer whatever the client accepts."""

    def select_renderer(
        self, request: Request, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        return renderers[0], renderers[0].media_type


def any_accept(view: Callable) -> Callable:
    """For an `@api_view` that answers in a type of its own (an HTML document, as a Django
    response) and its errors in JSON: no client's Accept header gets a 406 instead.

    Put it above `@api_view`."""
    view.cls.content_negotiation_class = FirstRenderer
    return view
