"""Dates, URLs and e-mail addresses as people write them in JSON Resume documents, read into
the schema's forms: `2025-07` for "07/2025", `https://github.com/me` for "github.com/me".

Each reader returns the value it could make of the text and the reasons for each change; a
value it cannot read is returned unchanged, for the schema check to refuse. Nothing here
guesses: "03/04/2025" (March or April?) stays as it is.
"""

import re
import unicodedata
from urllib.parse import quote

import idna

from resumes.json_resume_schema import is_email, is_partial_date

TRIMMED = "Spaces around the value removed."
DATE_REWRITTEN = "Rewritten as an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)."
URL_SCHEME_ADDED = "A web address without a scheme: https:// added."
URL_ENCODED = (
    "Characters a URL cannot hold percent-encoded (RFC 3986), and an international host "
    "name written in ASCII (IDNA)."
)
MAILTO_ADDED = "An e-mail address where JSON Resume has a URL: mailto: added."
MAILTO_REMOVED = '"mailto:" removed: the value is the address itself.'

# --- Dates -------------------------------------------------------------------------

# End dates that mean "still going on" (JSON Resume: no endDate), compared in lower case.
ONGOING_WORDS = frozenset(
    {
        "present", "current", "currently", "now", "today", "ongoing", "to date", "to present",
        "till date", "till now", "until now", "until today",
        "aujourd'hui", "présent", "actuel", "actuellement", "en cours",
        "heute", "bis heute", "aktuell", "jetzt",
        "presente", "actualidad", "actual", "actualmente", "atual", "atualmente",
        "attuale", "oggi", "in corso", "heden", "nu", "nu toe",
        "現在", "現在まで", "至今", "今", "현재", "재직중",
    }
)  # fmt: skip

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month_name>[a-z]+)\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"
# Each pattern names what it finds: year, month or month_name, day; the whole text must match.
_DATE_PATTERNS = [
    # 2025-07-01T09:00:00Z: the date of a timestamp
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})[t ]\d{2}:\d{2}.*"),
    # 2025-7, 2025/07, 2025.07.01: year first, any one separator
    re.compile(r"(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?:(?P=sep)(?P<day>\d{1,2}))?"),
    # 07/2025, 7-2025, 07.2025
    re.compile(r"(?P<month>\d{1,2})[-/.](?P<year>\d{4})"),
    # 15.03.2020: day first, as everywhere dots separate a date
    re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})"),
    # July 2025, Jul. 2025, July, 2025
    re.compile(rf"{_MONTH},? (?P<year>\d{{4}})"),
    # 2025 July
    re.compile(rf"(?P<year>\d{{4}}) {_MONTH}"),
    # July 1, 2025; Jul 1st 2025
    re.compile(rf"{_MONTH} (?P<day>\d{{1,2}}){_ORDINAL},? (?P<year>\d{{4}})"),
    # 1 July 2025; 1st Jul. 2025
    re.compile(rf"(?P<day>\d{{1,2}}){_ORDINAL} {_MONTH},? (?P<year>\d{{4}})"),
    # 2019年4月, 2019年4月1日, 2019年
    re.compile(r"(?P<year>\d{4}) ?年(?: ?(?P<month>\d{1,2}) ?月(?: ?(?P<day>\d{1,2}) ?日)?)?"),
]
# 03/04/2025 or 13/04/2025: day and month in an order only the numbers can tell.
_DAY_MONTH_YEAR = re.compile(
    r"(?P<first>\d{1,2})(?P<sep>[-/])(?P<second>\d{1,2})(?P=sep)(?P<year>\d{4})"
)


def _iso(year: str, month: int | None, day: int | None) -> str:
    parts = [year] + [f"{part:02d}" for part in (month, day) if part is not None]
    return "-".join(parts)


def _read_free_text_date(text: str) -> str | None:
    """The ISO form of a date written another way, or None if it is not clearly one date."""
    folded = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    for pattern in _DATE_PATTERNS:
        found = pattern.fullmatch(folded)
        if found is None:
            continue
        parts = found.groupdict()
        if parts.get("month_name"):
            month = _MONTHS.get(parts["month_name"])
            if month is None:
                return None
        else:
            month = int(parts["month"]) if parts.get("month") else None
        day = int(parts["day"]) if parts.get("day") else None
        return _iso(parts["year"], month, day)
    found = _DAY_MONTH_YEAR.fullmatch(folded)
    if found is None:
        return None
    first, second = int(found["first"]), int(found["second"])
    if first > 12 >= second:
        return _iso(found["year"], second, first)
    if second > 12 >= first or first == second:
        return _iso(found["year"], first, second)
    return None  # both could be the month


def is_ongoing(text: str) -> bool:
    """Whether an end date says "still going on": "Present", "now", "現在", ..."""
    return " ".join(text.lower().split()).rstrip(".") in ONGOING_WORDS


def read_date(text: str) -> tuple[str, list[str]]:
    """A date as the schema writes it (YYYY, YYYY-MM or YYYY-MM-DD), when `text` is clearly
    one; otherwise `text` (stripped), for the schema check to refuse."""
    value = text.strip()
    reasons = [TRIMMED] if value != text and value else []
    if not value or is_partial_date(value):
        return value, reasons
    rewritten = _read_free_text_date(value)
    if rewritten is None or not is_partial_date(rewritten):
        return value, reasons
    return rewritten, [*reasons, DATE_REWRITTEN]


# --- URLs --------------------------------------------------------------------------

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
# example.com, www.exämple.de:8080/path: dot-separated labels ending in a top-level domain.
_HOST = re.compile(
    r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+(?P<tld>[^\W\d_]{2,})\.?(?::\d{1,5})?(?=[/?#]|$)"
)
# File names look like host names ("photo.png"); these endings are no top-level domains.
_FILE_EXTENSIONS = frozenset(
    {"css", "doc", "docx", "gif", "htm", "html", "jpeg", "jpg", "js", "json", "pdf", "png",
     "svg", "txt", "webp", "xml", "yaml", "yml"}
)  # fmt: skip
_WINDOWS_PATH = re.compile(r"[A-Za-z]:\\")
# What RFC 3986 allows unencoded in a URI (with `%` kept: it starts an encoded octet).
_URI_SAFE = "!#$%&'()*+,/:;=?@[]~"


# scheme://authority, then the rest, split as written: urlsplit would lowercase the scheme,
# drop an empty query or fragment, delete tabs and newlines, and raise on a stray "[".
_AUTHORITY = re.compile(
    r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<netloc>[^/?#]*)(?P<rest>.*)", re.S
)


def _ascii_host(netloc: str) -> str | None:
    """netloc with an international host name in its IDNA (xn--) form; None if the host
    is no valid international name."""
    userinfo, at, hostport = netloc.rpartition("@")
    host, colon, port = hostport.rpartition(":")
    if not colon or not port.isdigit():
        host, colon, port = hostport, "", ""
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except idna.IDNAError:
            return None
    return f"{quote(userinfo, safe=_URI_SAFE)}{at}{host}{colon}{port}"


def _encoded(url: str) -> str:
    found = _AUTHORITY.fullmatch(url)
    if found is None:
        return quote(url, safe=_URI_SAFE)
    # Each part on its own, so that the host gets IDNA and the rest percent-encoding.
    netloc = _ascii_host(found["netloc"])
    if netloc is None:
        return url  # for the format check to refuse
    return f"{found['head']}{netloc}{quote(found['rest'], safe=_URI_SAFE)}"


def read_url(text: str) -> tuple[str, list[str]]:
    """A URL as RFC 3986 writes it: `https://` before what is clearly a host name
    ("github.com/me", "//example.com"), characters a URL cannot hold encoded. Any scheme is
    kept (`mailto:`, `skype:`); what is neither a URL nor a host name is returned stripped,
    unchanged, for the schema check (it takes ASCII relative references such as "@me")."""
    value = text.strip()
    reasons = [TRIMMED] if value != text and value else []
    if not value:
        return value, reasons
    if is_email(value):
        return f"mailto:{value}", [*reasons, MAILTO_ADDED]
    if value.startswith("//"):
        value, reasons = f"https:{value}", [*reasons, URL_SCHEME_ADDED]
    elif (host := _HOST.match(value)) and host["tld"].lower() not in _FILE_EXTENSIONS:
        value, reasons = f"https://{value}", [*reasons, URL_SCHEME_ADDED]
    elif (
        not (scheme := _SCHEME.match(value))
        or value[scheme.end() :][:1].isspace()
        or _WINDOWS_PATH.match(value)
    ):
        # No URL: "Website: example.com" is a label and a value, C:\cv.pdf a file.
        return value, reasons
    encoded = _encoded(value)
    if encoded != value:
        reasons.append(URL_ENCODED)
    return encoded, reasons


# --- E-mail addresses ---------------------------------------------------------------


def read_email(text: str) -> tuple[str, list[str]]:
    """The address: stripped, without a `mailto:` in front."""
    value = text.strip()
    reasons = [TRIMMED] if value != text and value else []
    if value[:7].lower() == "mailto:":
        value, reasons = value[7:].strip(), [*reasons, MAILTO_REMOVED]
    return value, reasons
