"""resumes.json_resume_reading: documents as people write them, read into a clean one with the
list of what changed, or refused naming every bad value by the path the sender wrote."""

import copy
import json
from typing import Any

import orjson
import pytest

from resumes.json_resume_reading import (
    EMPTY_REMOVED,
    FORMER_NAME,
    FORMER_NAMES,
    IMAGE_REMOVED,
    KEPT,
    LIST_WRAPPED,
    NAME_KEYS,
    NULL_REMOVED,
    NUMBER_AS_TEXT,
    ONGOING_REMOVED,
    DocumentProblems,
    read_document,
)
from resumes.json_resume_schema import (
    DATE_MESSAGE,
    EMAIL_MESSAGE,
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_ITEMS,
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
    MAX_STRINGS,
    MAX_URL_LENGTH,
    MAX_VALUES,
    URL_MESSAGE,
)
from resumes.json_resume_values import DATE_REWRITTEN, MAILTO_REMOVED, URL_SCHEME_ADDED
from tests.support.json_resume import corpus_documents


def read(document: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    result = read_document(document)
    return result.document, result.changes


def problems(document: Any) -> dict[str, list[str]]:
    with pytest.raises(DocumentProblems) as caught:
        read_document(document)
    return caught.value.problems


def assert_same(actual: Any, expected: Any) -> None:
    """Equal, and with every object's keys in the same order."""
    assert actual == expected
    assert json.dumps(actual) == json.dumps(expected)


def placed(kind: str, value: Any) -> tuple[dict[str, Any], str]:
    """A document holding `value` at the place `kind` names ("basics.profiles[]"), as the
    first entry of each list, and the path of that place ("basics.profiles[0]")."""
    names = kind.split(".")
    for name in reversed(names):
        value = [value] if name.endswith("[]") else value
        value = {name.removesuffix("[]"): value}
    return value, kind.replace("[]", "[0]")


def value_at(document: Any, path: str) -> Any:
    """The value at a path such as "basics.profiles[0].url"."""
    for key in path.replace("[", ".[").split("."):
        document = document[int(key[1:-1])] if key.startswith("[") else document[key]
    return document


def too_many(bound: int) -> str:
    return f"Ensure this field has no more than {bound} elements."


def too_long(bound: int) -> str:
    return f"Ensure this field has no more than {bound} characters."


def moved(kind: str) -> str:
    return f"{kind} where JSON Resume has text: kept under a key of its own."


def as_object(key: str) -> str:
    return f"Text where JSON Resume has an object: the object's {key}."


FULL = {
    "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
    "basics": {
        "name": "Ada Lovelace",
        "label": "Analyst",
        "email": "ada@example.com",
        "phone": "+44 20 7946 0000",
        "url": "https://ada.example",
        "summary": "First programmer.\nSecond line.",
        "location": {"city": "London", "countryCode": "GB"},
        "profiles": [{"network": "GitHub", "username": "ada", "url": "@ada"}],
    },
    "work": [
        {
            "name": "Analytical Engines",
            "position": "Analyst",
            "startDate": "1842",
            "endDate": "1843-07",
            "highlights": ["Note G"],
        }
    ],
    "education": [{"institution": "Home", "startDate": "1830-01-01", "courses": ["Maths"]}],
    "skills": [{"name": "Mathematics", "keywords": ["Bernoulli numbers"]}],
    "languages": [{"language": "English", "fluency": "Native"}],
    "certificates": [{"name": "Cert", "date": "1840"}],
    "projects": [{"name": "Note G", "roles": ["Author"], "startDate": "1842"}],
    "meta": {"version": "v1.0.0", "lastModified": "2024-01-01T00:00:00"},
}


def test_a_clean_document_is_taken_unchanged():
    document, changes = read(FULL)

    assert_same(document, FULL)
    assert changes == []


def test_an_empty_document_is_a_document():
    assert read({}) == ({}, [])


# --- null and "" -----------------------------------------------------------------------


def test_null_is_the_same_as_leaving_the_key_out():
    document, changes = read(
        {"basics": {"name": "Ada", "label": None}, "work": None, "skills": [None, "Go", None]}
    )

    assert_same(document, {"basics": {"name": "Ada"}, "skills": [{"name": "Go"}]})
    assert changes == [
        {"path": "basics.label", "action": "removed", "from": None, "reason": NULL_REMOVED},
        {"path": "work", "action": "removed", "from": None, "reason": NULL_REMOVED},
        {"path": "skills[0]", "action": "removed", "from": None, "reason": NULL_REMOVED},
        {
            "path": "skills[1]",
            "action": "rewritten",
            "from": "Go",
            "to": {"name": "Go"},
            "reason": as_object("name"),
        },
        {"path": "skills[2]", "action": "removed", "from": None, "reason": NULL_REMOVED},
    ]


@pytest.mark.parametrize(
    ("sent", "clean", "path"),
    [
        ({"basics": {"url": ""}}, {"basics": {}}, "basics.url"),
        ({"basics": {"email": " "}}, {"basics": {}}, "basics.email"),
        (
            {"basics": {"profiles": [{"url": "  "}]}},
            {"basics": {"profiles": [{}]}},
            "basics.profiles[0].url",
        ),
        ({"work": [{"startDate": ""}]}, {"work": [{}]}, "work[0].startDate"),
        ({"work": [{"endDate": "   "}]}, {"work": [{}]}, "work[0].endDate"),
        ({"basics": {"location": ""}}, {"basics": {}}, "basics.location"),
        ({"work": [""]}, {"work": []}, "work[0]"),
        ({"basics": ""}, {}, "basics"),
    ],
)
def test_an_empty_date_url_address_or_object_is_removed(sent, clean, path):
    document, changes = read(sent)

    assert_same(document, clean)
    assert changes == [
        {"path": path, "action": "removed", "from": value_at(sent, path), "reason": EMPTY_REMOVED}
    ]


def test_empty_text_is_kept_as_written():
    # Plain text is never rewritten, "" included (a theme shows nothing for it either way).
    document, changes = read({"basics": {"name": "", "label": "  "}, "work": [{"summary": ""}]})

    assert_same(document, {"basics": {"name": "", "label": "  "}, "work": [{"summary": ""}]})
    assert changes == []


@pytest.mark.parametrize(
    ("document", "clean", "path"),
    [
        ({"skills": ""}, {}, "skills"),
        ({"work": [{"highlights": ""}]}, {"work": [{}]}, "work[0].highlights"),
    ],
)
def test_empty_text_where_a_list_belongs_is_removed(document, clean, path):
    assert read(document) == (
        clean,
        [{"path": path, "action": "removed", "from": "", "reason": EMPTY_REMOVED}],
    )


# --- End dates that mean "ongoing" -------------------------------------------------------


@pytest.mark.parametrize("section", ["work", "volunteer", "education", "projects"])
@pytest.mark.parametrize("word", ["Present", "present.", " Current ", "now", "現在", "Heute"])
def test_an_ongoing_end_date_is_removed(section, word):
    document, changes = read({section: [{"startDate": "2020", "endDate": word}]})

    assert_same(document, {section: [{"startDate": "2020"}]})
    assert changes == [
        {
            "path": f"{section}[0].endDate",
            "action": "removed",
            "from": word,
            "reason": ONGOING_REMOVED,
        }
    ]


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ({"work": [{"startDate": "Present"}]}, "work[0].startDate"),
        ({"certificates": [{"date": "Present"}]}, "certificates[0].date"),
        ({"awards": [{"date": "now"}]}, "awards[0].date"),
    ],
)
def test_ongoing_words_are_no_other_date(document, path):
    assert problems(document) == {path: [DATE_MESSAGE]}


# --- Dates, URLs and addresses -------------------------------------------------------------


def test_dates_urls_and_addresses_are_read_and_each_change_is_listed():
    document, changes = read(
        {
            "basics": {"email": "mailto:ada@example.com", "url": "ada.example/me"},
            "work": [{"startDate": "July 2020", "endDate": "13/04/2021", "url": "//acme.example"}],
        }
    )

    assert_same(
        document,
        {
            "basics": {"email": "ada@example.com", "url": "https://ada.example/me"},
            "work": [
                {"startDate": "2020-07", "endDate": "2021-04-13", "url": "https://acme.example"}
            ],
        },
    )
    assert changes == [
        {
            "path": "basics.email",
            "action": "rewritten",
            "from": "mailto:ada@example.com",
            "to": "ada@example.com",
            "reason": MAILTO_REMOVED,
        },
        {
            "path": "basics.url",
            "action": "rewritten",
            "from": "ada.example/me",
            "to": "https://ada.example/me",
            "reason": URL_SCHEME_ADDED,
        },
        {
            "path": "work[0].startDate",
            "action": "rewritten",
            "from": "July 2020",
            "to": "2020-07",
            "reason": DATE_REWRITTEN,
        },
        {
            "path": "work[0].endDate",
            "action": "rewritten",
            "from": "13/04/2021",
            "to": "2021-04-13",
            "reason": DATE_REWRITTEN,
        },
        {
            "path": "work[0].url",
            "action": "rewritten",
            "from": "//acme.example",
            "to": "https://acme.example",
            "reason": URL_SCHEME_ADDED,
        },
    ]


def test_a_change_lists_its_keys_in_one_order():
    _, changes = read({"basics": {"url": "ada.example"}})

    assert list(changes[0]) == ["path", "action", "from", "to", "reason"]


def test_reasons_of_one_value_are_joined():
    _, changes = read({"basics": {"url": " bücher.example "}})

    assert changes[0]["to"] == "https://xn--bcher-kva.example"
    assert changes[0]["reason"] == (
        "Spaces around the value removed. A web address without a scheme: https:// added. "
        "Characters a URL cannot hold percent-encoded (RFC 3986), and an international host "
        "name written in ASCII (IDNA)."
    )


def test_text_that_is_no_date_url_or_address_is_refused_as_sent():
    assert problems(
        {
            "basics": {"email": "ada at example", "url": "my website"},
            "work": [{"startDate": "03/04/2025", "endDate": "Summer 2019"}],
        }
    ) == {
        "basics.email": [EMAIL_MESSAGE],
        "basics.url": [URL_MESSAGE],
        "work[0].startDate": [DATE_MESSAGE],
        "work[0].endDate": [DATE_MESSAGE],
    }


# --- Numbers where text belongs ----------------------------------------------------------


def test_a_number_where_text_belongs_is_written_as_text():
    document, changes = read(
        {
            "basics": {"phone": 5550100, "location": {"postalCode": 10115}},
            "education": [{"score": 3.5, "startDate": 2019}],
            "skills": [{"keywords": [1, -2.25]}],
        }
    )

    assert_same(
        document,
        {
            "basics": {"phone": "5550100", "location": {"postalCode": "10115"}},
            "education": [{"score": "3.5", "startDate": "2019"}],
            "skills": [{"keywords": ["1", "-2.25"]}],
        },
    )
    assert [(c["path"], c["from"], c["to"], c["reason"]) for c in changes] == [
        ("basics.phone", 5550100, "5550100", NUMBER_AS_TEXT),
        ("basics.location.postalCode", 10115, "10115", NUMBER_AS_TEXT),
        ("education[0].score", 3.5, "3.5", NUMBER_AS_TEXT),
        ("education[0].startDate", 2019, "2019", NUMBER_AS_TEXT),
        ("skills[0].keywords[0]", 1, "1", NUMBER_AS_TEXT),
        ("skills[0].keywords[1]", -2.25, "-2.25", NUMBER_AS_TEXT),
    ]
    assert {c["action"] for c in changes} == {"rewritten"}


@pytest.mark.parametrize("number", [2020.10, 2020.5])
def test_a_fractional_number_is_no_date(number):
    # As text, 2020.10 would read as 2020-01: a number in a date is refused as what it is.
    assert problems({"work": [{"endDate": number}]}) == {
        "work[0].endDate": ["Expected a string, not a number."]
    }


# --- Text where an object belongs ----------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(NAME_KEYS))
def test_text_where_an_object_belongs_becomes_the_objects_name(kind):
    sent, path = placed(kind, "Acme")
    expected, _ = placed(kind, {NAME_KEYS[kind]: "Acme"})

    document, changes = read(sent)

    assert_same(document, expected)
    assert changes == [
        {
            "path": path,
            "action": "rewritten",
            "from": "Acme",
            "to": {NAME_KEYS[kind]: "Acme"},
            "reason": as_object(NAME_KEYS[kind]),
        }
    ]


def test_text_where_an_object_without_a_name_belongs_is_refused():
    assert problems({"meta": "v1"}) == {"meta": ["Expected an object, not a string."]}


# --- One value where a list belongs --------------------------------------------------------


def test_one_value_where_a_list_belongs_becomes_a_list_of_it():
    document, changes = read(
        {
            "work": {"name": "Acme", "highlights": "Shipped"},
            "skills": "Python",
            "education": [{"courses": "Maths"}],
        }
    )

    assert_same(
        document,
        {
            "work": [{"name": "Acme", "highlights": ["Shipped"]}],
            "skills": [{"name": "Python"}],
            "education": [{"courses": ["Maths"]}],
        },
    )
    assert changes == [
        {
            "path": "work",
            "action": "rewritten",
            "from": {"name": "Acme", "highlights": "Shipped"},
            "to": [{"name": "Acme", "highlights": "Shipped"}],
            "reason": LIST_WRAPPED,
        },
        {
            "path": "work.highlights",
            "action": "rewritten",
            "from": "Shipped",
            "to": ["Shipped"],
            "reason": LIST_WRAPPED,
        },
        {
            "path": "skills",
            "action": "rewritten",
            "from": "Python",
            "to": ["Python"],
            "reason": LIST_WRAPPED,
        },
        {
            "path": "skills",
            "action": "rewritten",
            "from": "Python",
            "to": {"name": "Python"},
            "reason": as_object("name"),
        },
        {
            "path": "education[0].courses",
            "action": "rewritten",
            "from": "Maths",
            "to": ["Maths"],
            "reason": LIST_WRAPPED,
        },
    ]


def test_errors_inside_a_value_made_a_list_name_the_path_as_sent():
    assert problems({"work": {"startDate": "July", "name": "x" * (MAX_SHORT_TEXT + 1)}}) == {
        "work.startDate": [DATE_MESSAGE],
        "work.name": [too_long(MAX_SHORT_TEXT)],
    }


def test_a_number_where_a_list_belongs_is_refused():
    assert problems({"work": [{"highlights": 5}]}) == {
        "work[0].highlights": ["Expected a list, not a number."]
    }


# --- Names from before JSON Resume 1.0 ------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "old", "new"),
    [(kind, old, new) for kind, names in FORMER_NAMES.items() for old, new in names.items()],
)
def test_a_former_name_is_renamed(kind, old, new):
    sent, path = placed(kind, {old: "https://example.org"})
    # basics.image is never kept (below): renamed, then removed.
    expected, _ = placed(kind, {} if new == "image" else {new: "https://example.org"})

    document, changes = read(sent)

    assert_same(document, expected)
    assert changes[0] == {
        "path": f"{path}.{old}",
        "action": "renamed",
        "from": old,
        "to": f"{path}.{new}",
        "reason": FORMER_NAME,
    }
    assert [c["action"] for c in changes[1:]] == (["removed"] if new == "image" else [])


def test_renamed_keys_keep_their_place_among_the_others():
    document, _ = read(
        {"work": [{"position": "Analyst", "company": "Acme", "website": "a.example"}]}
    )

    assert_same(
        document,
        {"work": [{"position": "Analyst", "name": "Acme", "url": "https://a.example"}]},
    )


def test_a_former_name_is_kept_when_the_new_one_is_there_too():
    document, changes = read({"work": [{"company": "Old", "name": "New"}]})

    assert_same(document, {"work": [{"company": "Old", "name": "New"}]})
    assert changes == [{"path": "work[0].company", "action": "kept", "reason": KEPT}]


def test_errors_name_the_key_as_sent_after_a_rename_and_a_dropped_null():
    long_name = too_long(MAX_SHORT_TEXT)

    assert problems(
        {
            "work": [None, {"company": "x" * (MAX_SHORT_TEXT + 1), "website": "my site"}],
            "languages": [None, None, {"name": "x" * (MAX_SHORT_TEXT + 1)}],
        }
    ) == {
        "work[1].company": [long_name],
        "work[1].website": [URL_MESSAGE],
        "languages[2].name": [long_name],
    }


# --- Values of a kind the schema has no room for ---------------------------------------------


def test_an_object_list_or_boolean_where_text_belongs_moves_to_a_key_of_its_own():
    document, changes = read(
        {
            "basics": {
                "name": {"first": "Ada", "last": "Lovelace"},
                "label": True,
                "summary": ["One", "Two"],
                "email": "ada@example.com",
            }
        }
    )

    assert_same(
        document,
        {
            "basics": {
                "x-name": {"first": "Ada", "last": "Lovelace"},
                "x-label": True,
                "x-summary": ["One", "Two"],
                "email": "ada@example.com",
            }
        },
    )
    assert changes == [
        {
            "path": "basics.name",
            "action": "moved",
            "to": "basics.x-name",
            "reason": moved("An object"),
        },
        {
            "path": "basics.label",
            "action": "moved",
            "to": "basics.x-label",
            "reason": moved("True or false"),
        },
        {
            "path": "basics.summary",
            "action": "moved",
            "to": "basics.x-summary",
            "reason": moved("A list"),
        },
    ]


def test_a_key_moved_aside_never_overwrites_one_that_is_there():
    document, changes = read(
        {"work": [{"x-position": "sent first", "position": {"a": 1}, "x-position-2": "sent too"}]}
    )

    assert_same(
        document,
        {
            "work": [
                {"x-position": "sent first", "x-position-3": {"a": 1}, "x-position-2": "sent too"}
            ]
        },
    )
    assert [c["to"] for c in changes if c["action"] == "moved"] == ["work[0].x-position-3"]


def test_a_misplaced_value_in_a_list_stays_and_is_refused_by_its_path_as_sent():
    assert problems({"work": [{"highlights": ["a", None, True, {"b": 1}]}]}) == {
        "work[0].highlights[2]": ["Expected a string, not true or false."],
        "work[0].highlights[3]": ["Expected a string, not an object."],
    }


# --- Keys the schema does not have -----------------------------------------------------------


def test_unknown_keys_are_kept_as_sent_and_listed():
    sent = {
        "hobbies": ["chess", None],
        "basics": {"name": "Ada", "pronouns": None, "location": {"city": "L", "x-floor": 3}},
        "work": [{"team": {"size": 5}}],
    }

    document, changes = read(sent)

    assert_same(document, sent)  # nothing under an unknown key is read: null and all
    assert changes == [
        {"path": "hobbies", "action": "kept", "reason": KEPT},
        {"path": "basics.pronouns", "action": "kept", "reason": KEPT},
        {"path": "basics.location.x-floor", "action": "kept", "reason": KEPT},
        {"path": "work[0].team", "action": "kept", "reason": KEPT},
    ]


def test_the_senders_key_order_is_kept_everywhere():
    sent = {
        "meta": {"version": "1"},
        "zeta": 1,
        "work": [{"startDate": "2020", "name": "Acme", "company2": "x", "url": "a.example"}],
        "basics": {"url": "ada.example", "website": "b.example", "name": "Ada", "image": ""},
        "$schema": "s",
    }

    document, _ = read(sent)

    assert list(document) == ["meta", "zeta", "work", "basics", "$schema"]
    assert list(document["work"][0]) == ["startDate", "name", "company2", "url"]
    assert list(document["basics"]) == ["url", "website", "name"]
    assert orjson.dumps(document) == orjson.dumps(
        {
            "meta": {"version": "1"},
            "zeta": 1,
            "work": [
                {"startDate": "2020", "name": "Acme", "company2": "x", "url": "https://a.example"}
            ],
            "basics": {"url": "https://ada.example", "website": "b.example", "name": "Ada"},
            "$schema": "s",
        }
    )


# --- basics.image ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("basics", "path"),
    [
        ({"name": "Ada", "image": "https://ada.example/me.jpg"}, "basics.image"),
        ({"name": "Ada", "image": "me.jpg"}, "basics.image"),
        ({"name": "Ada", "image": "not a url at all"}, "basics.image"),  # never checked either
    ],
)
def test_basics_image_is_removed_and_listed(basics, path):
    document, changes = read({"basics": basics})

    assert_same(document, {"basics": {"name": "Ada"}})
    assert changes == [
        {"path": path, "action": "removed", "from": basics["image"], "reason": IMAGE_REMOVED}
    ]


def test_basics_picture_is_kept_as_a_key_of_its_own():
    # The image's name before 1.0; renamed, it would be removed, and a document holding
    # both would lose picture on its second reading.
    document, changes = read({"basics": {"picture": "me.jpg", "name": "Ada"}})

    assert_same(document, {"basics": {"picture": "me.jpg", "name": "Ada"}})
    assert changes == [{"path": "basics.picture", "action": "kept", "reason": KEPT}]


def test_an_empty_image_is_removed_as_an_image():
    # The schema gives basics.image no format: "" is plain text, removed with the others.
    assert read({"basics": {"image": ""}}) == (
        {"basics": {}},
        [{"path": "basics.image", "action": "removed", "from": "", "reason": IMAGE_REMOVED}],
    )


def test_image_is_only_removed_from_basics():
    sent = {"work": [{"image": "logo.png"}]}

    assert read(sent) == (sent, [{"path": "work[0].image", "action": "kept", "reason": KEPT}])


# --- Documents refused -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind"),
    [([], "a list"), ("{}", "text"), (None, "null"), (5, "a number"), (True, "true or false")],
)
def test_a_document_is_an_object(value, kind):
    assert problems(value) == {"": [f"Expected a JSON Resume document (an object), not {kind}."]}


def test_every_bad_value_is_named_at_once():
    assert problems(
        {
            "basics": {"name": "x" * (MAX_SHORT_TEXT + 1), "email": "ada", "url": "a b"},
            "work": [{"startDate": "Summer 2019", "highlights": [{"a": 1}]}],
            "education": [None, {"endDate": "2021-02-29"}],
            "meta": "v1",
        }
    ) == {
        "basics.name": [too_long(MAX_SHORT_TEXT)],
        "basics.email": [EMAIL_MESSAGE],
        "basics.url": [URL_MESSAGE],
        "work[0].startDate": [DATE_MESSAGE],
        "work[0].highlights[0]": ["Expected a string, not an object."],
        "education[1].endDate": [DATE_MESSAGE],
        "meta": ["Expected an object, not a string."],
    }


def test_one_value_may_have_several_messages():
    url = "https://example.com/".ljust(MAX_URL_LENGTH + 1, "%")  # "%" starts no octet

    assert sorted(problems({"basics": {"url": url}})["basics.url"]) == sorted(
        [too_long(MAX_URL_LENGTH), URL_MESSAGE]
    )


@pytest.mark.parametrize(
    ("sent", "path"),
    [
        ({"basics": "x" * (MAX_SHORT_TEXT + 1)}, "basics"),
        ({"skills": ["x" * (MAX_SHORT_TEXT + 1)]}, "skills[0]"),
        ({"skills": "x" * (MAX_SHORT_TEXT + 1)}, "skills"),
    ],
)
def test_an_error_in_text_made_an_object_names_the_text_as_sent(sent, path):
    assert problems(sent) == {path: [too_long(MAX_SHORT_TEXT)]}


# --- Bounds --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "path", "bound", "message"),
    [
        (lambda n: {"work": [{"name": "A"}] * n}, "work", MAX_ITEMS, too_many),
        (
            lambda n: {"basics": {"profiles": [{"network": "N"}] * n}},
            "basics.profiles",
            MAX_ITEMS,
            too_many,
        ),
        (
            lambda n: {"work": [{"highlights": ["h"] * n}]},
            "work[0].highlights",
            MAX_STRINGS,
            too_many,
        ),
        (
            lambda n: {"skills": [{"keywords": ["k"] * n}]},
            "skills[0].keywords",
            MAX_STRINGS,
            too_many,
        ),
        (lambda n: {"basics": {"name": "x" * n}}, "basics.name", MAX_SHORT_TEXT, too_long),
        (
            lambda n: {"skills": [{"keywords": ["x" * n]}]},
            "skills[0].keywords[0]",
            MAX_SHORT_TEXT,
            too_long,
        ),
        (lambda n: {"basics": {"summary": "x" * n}}, "basics.summary", MAX_LONG_TEXT, too_long),
        (
            lambda n: {"work": [{"highlights": ["x" * n]}]},
            "work[0].highlights[0]",
            MAX_LONG_TEXT,
            too_long,
        ),
        (
            lambda n: {"basics": {"url": "https://example.com/".ljust(n, "a")}},
            "basics.url",
            MAX_URL_LENGTH,
            too_long,
        ),
    ],
)
def test_a_bound_is_taken_and_one_more_is_refused(make, path, bound, message):
    read_document(make(bound))

    assert problems(make(bound + 1)) == {path: [message(bound)]}


# --- What no database or response can hold ------------------------------------------------


def nested(levels: int) -> Any:
    """`levels` objects, one inside the other."""
    value: Any = "leaf"
    for _ in range(levels):
        value = {"a": value}
    return value


CONTROL = (
    "Contains the control character U+0000; of the control characters only tab, line feed "
    "and carriage return are allowed."
)


@pytest.mark.parametrize(
    ("sent", "refused"),
    [
        ({"basics": {"name": "Ada\x00"}}, {"basics.name": [CONTROL]}),
        ({"x-notes": ["ok", "\x00"]}, {"x-notes[1]": [CONTROL]}),
        # A bad key is named by the object holding it (the key may not be printable).
        ({"basics": {"\x00": "x"}}, {"basics": [f"A key: {CONTROL}"]}),
        ({"\x00": "x"}, {"": [f"A key: {CONTROL}"]}),
        (
            {"x-" + "k" * (MAX_SHORT_TEXT - 1): 1},
            {"": [f"A key is longer than {MAX_SHORT_TEXT} characters."]},
        ),
        ({"x-notes": "x" * (MAX_LONG_TEXT + 1)}, {"x-notes": [too_long(MAX_LONG_TEXT)]}),
        (
            {"x-big": 2**63},
            {"x-big": ["Numbers must be between -9223372036854775807 and 9223372036854775807."]},
        ),
    ],
)
def test_values_no_database_can_hold_are_refused_by_their_path(sent, refused):
    assert problems(sent) == refused


def test_tab_line_feed_and_carriage_return_are_text():
    sent = {"basics": {"summary": "a\tb\nc\r\n"}, "k" * MAX_SHORT_TEXT: 1}

    assert read(sent)[0] == sent


def test_nesting_is_bounded():
    # The document is level 1, so "x" holds MAX_DEPTH - 1 levels.
    read_document({"x": nested(MAX_DEPTH - 1)})

    assert problems({"x": nested(MAX_DEPTH)}) == {
        "x" + ".a" * (MAX_DEPTH - 1): [
            f"Nested too deep: at most {MAX_DEPTH} levels of objects and arrays."
        ]
    }


def test_the_number_of_values_is_bounded():
    # The document, the list and its numbers.
    read_document({"x": [0] * (MAX_VALUES - 2)})

    assert problems({"x": [0] * (MAX_VALUES - 1)}) == {
        "": [f"Too many values: at most {MAX_VALUES} strings, numbers, objects and lists."]
    }


def test_a_document_too_large_is_refused_with_its_size():
    document = {f"x-{number}": "x" * MAX_LONG_TEXT for number in range(60)}
    size = len(orjson.dumps(document))
    assert size > MAX_DOCUMENT_BYTES

    assert problems(document) == {
        "": [
            f"Document too large: {size} bytes as compact JSON, at most {MAX_DOCUMENT_BYTES} "
            "allowed."
        ]
    }


def test_the_size_is_that_of_the_document_as_sent_and_as_stored():
    document = {f"x-{number}": "x" * MAX_LONG_TEXT for number in range(52)}
    sent = {"work": [None] * 1000, **document}  # the nulls would not be kept
    size = len(orjson.dumps(sent))
    assert size > MAX_DOCUMENT_BYTES >= len(orjson.dumps({"work": [], **document}))

    # The document as sent bounds the reading's own work.
    assert problems(sent) == {
        "": [
            f"Document too large: {size} bytes as compact JSON, at most {MAX_DOCUMENT_BYTES} "
            "allowed."
        ]
    }


def test_a_document_that_grows_past_the_bound_when_read_is_refused():
    # Text made objects: each of the 100 entries gains `{"name":}` (10 bytes) when read.
    sent = {"skills": ["Go"] * MAX_ITEMS, "x-notes": []}
    while len(orjson.dumps(sent)) < MAX_DOCUMENT_BYTES - MAX_LONG_TEXT:
        sent["x-notes"].append("y" * (MAX_LONG_TEXT - 3))
    sent["x-notes"].append("y" * (MAX_DOCUMENT_BYTES - len(orjson.dumps(sent)) - 503))
    assert MAX_DOCUMENT_BYTES - 500 <= len(orjson.dumps(sent)) <= MAX_DOCUMENT_BYTES

    refused = problems(sent)

    assert list(refused) == [""]
    assert refused[""][0].startswith("Document too large: ")


# --- Reading a clean document again ---------------------------------------------------------

MESSY = [
    {"basics": {"name": None, "url": "ada.example", "email": " mailto:ada@example.com "}},
    {"work": [None, {"company": "Acme", "startDate": "July 2020", "endDate": "Present"}]},
    {"work": {"name": "Acme", "highlights": "One"}, "skills": ["Python", "Go"]},
    {"basics": {"name": {"first": "Ada"}, "x-name": 1, "label": ["a"], "summary": False}},
    {"basics": "Ada", "languages": [{"name": "English", "level": "Native"}], "hobbies": [None]},
    {"basics": {"image": "me.jpg", "location": "London", "profiles": "GitHub"}},
    {"education": [{"gpa": 3.9, "startDate": 2019, "endDate": "15.03.2020"}], "x": {"y": None}},
    {"work": [{"company": "Old", "name": "New", "website": "a.example", "url": "b.example"}]},
    FULL,
]


def assert_read_again_is_the_same(sent: dict[str, Any]) -> None:
    before = copy.deepcopy(sent)
    document, _ = read(sent)
    assert_same(sent, before)  # the document as sent is not touched

    again, changes = read(document)

    assert_same(again, document)
    assert {change["action"] for change in changes} <= {"kept"}


@pytest.mark.parametrize("sent", MESSY)
def test_reading_a_clean_document_again_changes_nothing(sent):
    assert_read_again_is_the_same(sent)


def test_reading_the_corpus_again_changes_nothing():
    taken = 0
    for entry in corpus_documents():
        try:
            sent = orjson.loads(entry.read_bytes())
            read_document(sent)
        except (orjson.JSONDecodeError, DocumentProblems):
            continue  # documents refused as sent: nothing to read again
        assert_read_again_is_the_same(sent)
        taken += 1

    assert taken >= 20  # the corpus was read, not skipped


@pytest.mark.parametrize(
    "sent",
    [
        {"basics": {"picture": "p.png", "image": "q.png"}},
        {"basics": {"url": None, "website": "a.example"}},
        {"volunteer": [{"website": "a.example", "url": ""}]},
        {"basics": {"url": {"href": "b.example"}, "website": "a.example"}},
    ],
)
def test_a_former_name_beside_a_value_left_out_reads_the_same_again(sent):
    assert_read_again_is_the_same(sent)


@pytest.mark.parametrize(
    "sent",
    [
        {"work": {"x": nested(MAX_DEPTH - 2)}},
        # The document, two lists, 100 names and MAX_VALUES - 103 numbers: MAX_VALUES values;
        # the clean document has 100 objects more.
        {"skills": ["Go"] * MAX_ITEMS, "x": [0] * (MAX_VALUES - 3 - MAX_ITEMS)},
    ],
)
def test_a_document_whose_clean_form_would_pass_the_bounds_is_refused(sent):
    # The clean document could not be read again; the sender learns it now.
    assert problems(sent)


@pytest.mark.parametrize(
    ("sent", "path"),
    [
        ({"basics": {"url": 5}}, "basics.url"),
        ({"basics": {"email": 5}}, "basics.email"),
        ({"basics": {"profiles": [{"url": 1.5}]}}, "basics.profiles[0].url"),
    ],
)
def test_a_number_is_no_url_or_address(sent, path):
    assert problems(sent) == {path: ["Expected a string, not a number."]}
