"""Reading the account e-mails the tests' outbox holds (Django's locmem backend)."""

import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


def html_part(message: EmailMultiAlternatives) -> str:
    (html,) = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


def link_in(message: EmailMultiAlternatives, fragment: str) -> tuple[str, ...]:
    """The parts of the frontend link `#/<fragment>/<a>/<b>...` in `message`: the same in its
    plain-text body and in its HTML part, which both must hold it."""
    pattern = re.escape(settings.FRONTEND_URL) + "#/" + re.escape(fragment) + r"/([^\s\"<]+)"
    (in_text,) = re.findall(pattern, message.body)
    (in_html,) = re.findall(pattern, html_part(message))
    assert in_text == in_html
    return tuple(in_text.split("/"))


def only_mail_to(outbox: list, address: str) -> EmailMultiAlternatives:
    (message,) = [message for message in outbox if message.to == [address]]
    return message
