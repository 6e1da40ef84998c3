"""resumes.json_resume_values: dates, URLs and addresses as people write them, and the format
checks (resumes.json_resume_schema) that judge what they return."""

import pytest

from resumes.json_resume_schema import is_email, is_partial_date, is_uri_reference
from resumes.json_resume_values import (
    DATE_REWRITTEN,
    MAILTO_ADDED,
    MAILTO_REMOVED,
    TRIMMED,
    URL_ENCODED,
    URL_SCHEME_ADDED,
    is_ongoing,
    read_date,
    read_email,
    read_url,
)

# --- read_date -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2025", "2025-07", "2025-07-01", "1000", "2999-12-31"])
def test_an_iso_date_is_kept_as_it_is(text):
    assert read_date(text) == (text, [])


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2025/07", "2025-07"),
        ("2025-7", "2025-07"),
        ("2025.07", "2025-07"),
        ("2025/7/1", "2025-07-01"),
        ("2025.07.01", "2025-07-01"),
        ("07/2025", "2025-07"),
        ("7-2025", "2025-07"),
        ("07.2025", "2025-07"),
        ("July 2025", "2025-07"),
        ("july 2025", "2025-07"),
        ("JULY 2025", "2025-07"),
        ("Jul 2025", "2025-07"),
        ("Jul. 2025", "2025-07"),
        ("July, 2025", "2025-07"),
        ("Sept 2020", "2020-09"),
        ("May 2020", "2020-05"),
        ("2025 July", "2025-07"),
        ("1 July 2025", "2025-07-01"),
        ("1st Jul. 2025", "2025-07-01"),
        ("July 1, 2025", "2025-07-01"),
        ("July 1st, 2025", "2025-07-01"),
        ("sept. 22nd 2020", "2020-09-22"),
        ("2025-07-01T09:00:00Z", "2025-07-01"),
        ("2025-07-01T23:30:00-05:00", "2025-07-01"),  # the date as written, not in UTC
        ("2025-07-01 09:00", "2025-07-01"),
        ("15.03.2020", "2020-03-15"),  # dots: day first
        ("1.2.2020", "2020-02-01"),
        ("13/04/2025", "2025-04-13"),  # 13 can only be the day
        ("04/13/2025", "2025-04-13"),  # ... whichever side it is on
        ("13-04-2025", "2025-04-13"),
        ("04/04/2025", "2025-04-04"),  # the same either way
        ("2019年4月", "2019-04"),
        ("2019年4月1日", "2019-04-01"),
        ("2019年", "2019"),
        ("２０２５年４月", "2025-04"),  # full-width digits (NFKC)
    ],
)
def test_a_date_written_another_way_is_rewritten_as_iso(text, iso):
    assert read_date(text) == (iso, [DATE_REWRITTEN])


@pytest.mark.parametrize(
    "text",
    [
        "03/04/2025",  # March or April: not guessed
        "1/2/2020",
        "Summer 2019",
        "Q3 2019",
        "Janu 2020",  # no month's name
        "2019-2020",
        "2023-02-30",  # no such day: not a date, and not rewritten into one
        "30/02/2023",
        "February 30, 2023",
        "July 32, 2020",
        "13.13.2020",
        "2021-02-29",
        "0999",  # years outside 1000-2999
        "3000",
        "3000-01",
        "July 3000",
        "1 July 0999",
        "2025-07-01T09",  # an hour and no minutes: no timestamp
        "tomorrow",
        "Present",  # ongoing is the reading's business (end dates only)
    ],
)
def test_what_is_not_clearly_one_date_is_returned_unchanged(text):
    assert read_date(text) == (text, [])


def test_spaces_around_a_date_are_removed():
    assert read_date(" 2020-01 ") == ("2020-01", [TRIMMED])
    assert read_date("\t2020\n") == ("2020", [TRIMMED])
    assert read_date(" Summer 2019 ") == ("Summer 2019", [TRIMMED])


def test_a_trimmed_and_rewritten_date_gives_both_reasons():
    assert read_date(" 13/04/2025 ") == ("2025-04-13", [TRIMMED, DATE_REWRITTEN])


@pytest.mark.parametrize("text", ["", " ", "\n\t"])
def test_an_empty_date_is_empty_without_a_reason(text):
    assert read_date(text) == ("", [])


@pytest.mark.parametrize(
    "text",
    [
        "Present",
        "present",
        "present.",
        "  Present  ",
        "PRESENT",
        "Current",
        "currently",
        "now",
        "Today",
        "To Date",
        "till  now",  # inner spaces folded
        "現在",
        "至今",
        "현재",
        "Heute",
        "bis heute",
        "Aujourd'hui",
        "actualidad",
    ],
)
def test_words_for_still_going_on_are_ongoing(text):
    assert is_ongoing(text)


@pytest.mark.parametrize("text", ["2020", "2020-01", "", "past", "presently employed", "N/A"])
def test_other_text_is_not_ongoing(text):
    assert not is_ongoing(text)


# --- read_url ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("github.com/me", "https://github.com/me"),
        ("linkedin.com/in/jane-doe", "https://linkedin.com/in/jane-doe"),
        ("example.com", "https://example.com"),
        ("EXAMPLE.COM", "https://EXAMPLE.COM"),
        ("example.com.", "https://example.com."),
        ("portfolio.dev", "https://portfolio.dev"),
        ("www.github.com", "https://www.github.com"),
        ("example.co.uk/x?y#z", "https://example.co.uk/x?y#z"),
        ("www.example.com:8080/x", "https://www.example.com:8080/x"),
        ("www.example.com:8080", "https://www.example.com:8080"),
        ("site.io/x.png", "https://site.io/x.png"),  # a file on a host is still on a host
        ("//example.com", "https://example.com"),
        ("//example.com/me", "https://example.com/me"),
    ],
)
def test_a_host_without_a_scheme_gets_https(text, url):
    assert read_url(text) == (url, [URL_SCHEME_ADDED])
    assert is_uri_reference(url)


@pytest.mark.parametrize(
    ("text", "url"),
    [
        (
            "https://bücher.example/straße?q=ä",
            "https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%A4",
        ),
        ("https://bücher.example:8080/", "https://xn--bcher-kva.example:8080/"),
        ("https://例え.テスト/パス", "https://xn--r8jz45g.xn--zckzah/%E3%83%91%E3%82%B9"),
        ("https://user:pä@bücher.example/", "https://user:p%C3%A4@xn--bcher-kva.example/"),
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://example.com/#frag ment", "https://example.com/#frag%20ment"),
        ("https://example.com/ä%20", "https://example.com/%C3%A4%20"),  # %20 stays %20
        ('https://example.com/<x>"{|}^`\\', "https://example.com/%3Cx%3E%22%7B%7C%7D%5E%60%5C"),
        ("https://example.com/a\nb", "https://example.com/a%0Ab"),  # not silently deleted
        ("mailto:jöhn@example.com", "mailto:j%C3%B6hn@example.com"),
        ("tel:+1 555 1234", "tel:+1%20555%201234"),
    ],
)
def test_what_a_url_cannot_hold_is_encoded(text, url):
    assert read_url(text) == (url, [URL_ENCODED])
    assert is_uri_reference(url)


def test_a_scheme_and_encoding_together_give_both_reasons():
    assert read_url(" bücher.de/jöhn ") == (
        "https://xn--bcher-kva.de/j%C3%B6hn",
        [TRIMMED, URL_SCHEME_ADDED, URL_ENCODED],
    )


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/me",
        "http://example.com",
        "Https://Example.com/",  # the scheme's case is the sender's
        "HTTP://EXAMPLE.COM",
        "https://example.com/?",  # an empty query or fragment is kept
        "https://example.com#",
        "https://xn--bcher-kva.example/",
        "https://example.com/a%20b",  # already encoded: not encoded twice
        "https://ex%41mple.com/",
        "http://[::1]:80/",
        "ftp://files.example.com/cv.pdf",
        "mailto:a@b.c",  # any scheme is kept; only http(s) is ever linked (presentation)
        "skype:me?call",
        "tel:+15551234",
        "javascript:alert(1)",
        "data:text/html,hello",
        "file:///etc/passwd",
        "https:example.com",
    ],
)
def test_a_url_with_a_scheme_is_kept_as_it_is(text):
    assert read_url(text) == (text, [])


@pytest.mark.parametrize(
    "text",
    [
        "@hbo",  # a handle: a relative reference the format check takes
        "foo-bar-baz",
        "me",
        "photo.png",  # file names look like hosts: no scheme
        "photo.jpeg",
        "resume.json",
        "cv.pdf",
        "index.html",
        "1.2.3.4",  # no top-level domain
        "localhost",
        "a.b",
    ],
)
def test_what_is_no_host_is_kept_and_taken_as_a_relative_reference(text):
    assert read_url(text) == (text, [])
    assert is_uri_reference(text)


@pytest.mark.parametrize(
    "text",
    [
        "my website",
        "https://example.com/100%",  # a % that starts no octet: not encoded as "%25"
        "https://example.com/a%2",
        "http://exa mple.com",  # a space in a host is not encoded
        "https://exa\tmple.com/",
        "my.website.com is here",
        "LinkedIn: jane-doe",  # a label, not a scheme: not made a URI by encoding its space
        "Website: https://example.com",
        "https://bücher..example/",  # IDNA refuses the host: left for the check
        "https://a\u2100b.com/",  # NFKC makes "a/cb.com": urlsplit raised here
        "https://ex ample.com/",
    ],
)
def test_what_cannot_be_made_a_url_is_returned_unchanged_and_refused(text):
    assert read_url(text) == (text, [])
    assert not is_uri_reference(text)


@pytest.mark.parametrize("text", ["https://[oops/", "//[x", "https://]x/"])
def test_a_stray_bracket_in_the_host_does_not_raise(text):
    read_url(text)  # urlsplit raises ValueError ("Invalid IPv6 URL") on these


def test_spaces_around_a_url_are_removed():
    assert read_url(" https://x.org ") == ("https://x.org", [TRIMMED])
    assert read_url(" @hbo ") == ("@hbo", [TRIMMED])
    assert read_url(" ") == ("", [])
    assert read_url("") == ("", [])


# --- read_email ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("jane@example.com", ("jane@example.com", [])),
        (" jane@example.com\n", ("jane@example.com", [TRIMMED])),
        ("mailto:jane@example.com", ("jane@example.com", [MAILTO_REMOVED])),
        ("MailTo:jane@example.com", ("jane@example.com", [MAILTO_REMOVED])),
        (" mailto:jane@example.com", ("jane@example.com", [TRIMMED, MAILTO_REMOVED])),
        ("mailto: jane@example.com", ("jane@example.com", [MAILTO_REMOVED])),
        ("mailto:", ("", [MAILTO_REMOVED])),
        ("", ("", [])),
        ("jane at example dot com", ("jane at example dot com", [])),
    ],
)
def test_read_email(text, result):
    assert read_email(text) == result


def test_a_mailto_with_a_query_is_not_an_address():
    value, _ = read_email("mailto:jane@example.com?subject=hi")

    assert value == "jane@example.com?subject=hi"
    assert not is_email(value)


# --- The format checks ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2020", True),
        ("2020-01", True),
        ("2020-01-31", True),
        ("2020-02-29", True),
        ("1000", True),
        ("2999-12-31", True),
        ("2021-02-29", False),  # the calendar, not only the pattern
        ("2020-01-32", False),
        ("2020-13", False),
        ("2020-00", False),
        ("2020-01-00", False),
        ("0999", False),
        ("3000", False),
        ("202", False),
        ("20201", False),
        ("2020-1", False),
        ("2020-01-1", False),
        ("2020/01", False),
        (" 2020", False),
        ("2020\n", False),
        ("２０２０", False),
        ("", False),
    ],
)
def test_is_partial_date(value, valid):
    assert is_partial_date(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("https://example.com/me", True),
        ("mailto:a@example.com", True),
        ("skype:me?call", True),
        ("urn:isbn:0451450523", True),
        ("@me", True),
        ("me", True),
        ("./a:b", True),  # a colon after the first segment
        ("a/b:c", True),
        ("#frag", True),
        ("?q", True),
        ("//host", True),
        ("%41", True),
        ("1a:b", False),  # no scheme starts with a digit, and a first segment has no colon
        ("a b", False),
        ("ä", False),
        ("%zz", False),
        ("100%", False),
        ("https://example.com/\t", False),
    ],
)
def test_is_uri_reference(value, valid):
    assert is_uri_reference(value) is valid


@pytest.mark.parametrize("value", ["https://[oops/", "https://example.com/[x]", "a[b]"])
def test_brackets_outside_an_ip_literal_are_refused(value):
    assert not is_uri_reference(value)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("jane@example.com", True),
        ("jane.doe+cv@example.co.uk", True),
        ("jane@exämple.de", True),  # an international domain
        ("a@b.c", False),  # a one-letter top-level domain
        ("jane", False),
        ("jane@@example.com", False),
        ("jane@example.com ", False),
        ("jane@example.com?subject=hi", False),
        ("", False),
    ],
)
def test_is_email(value, valid):
    assert is_email(value) is valid


@pytest.mark.parametrize(
    ("text", "url", "reasons"),
    [
        ("ada@example.com", "mailto:ada@example.com", [MAILTO_ADDED]),
        (" ada@example.com", "mailto:ada@example.com", [TRIMMED, MAILTO_ADDED]),
    ],
)
def test_an_email_address_where_a_url_belongs_gets_mailto(text, url, reasons):
    assert read_url(text) == (url, reasons)


def test_a_handle_with_an_at_is_no_email_address():
    assert read_url("@ada") == ("@ada", [])
