"""presentation.context: what the pages link to."""

import pytest

from presentation.context import link_href


@pytest.mark.parametrize("url", ["https://example.com/me", "http://example.com", "HTTPS://EX.COM"])
def test_web_addresses_are_linked(url):
    assert link_href(url) == url


@pytest.mark.parametrize(
    "url",
    [
        # Stored content keeps any scheme (resumes.json_resume_values.read_url): none is linked.
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "mailto:jane@example.com",
        "skype:me?call",
        "file:///etc/passwd",
        "//evil.example",
        " https://example.com",
        "@hbo",
        "",
    ],
)
def test_nothing_else_is_linked(url):
    assert link_href(url) == ""
