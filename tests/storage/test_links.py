"""storage.links: signed URLs are reused while at least half their lifetime is left."""

import uuid

import pytest
from django.core.files.storage import default_storage, storages

from storage import links
from storage.links import AbsoluteURLs, _SignedUrlCache


class Signer:
    def __init__(self) -> None:
        self.signed = 0

    def __call__(self) -> str:
        self.signed += 1
        return f"https://bucket.example/key?signature={self.signed}"


def test_a_url_is_reused_until_half_its_lifetime_has_passed(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(links.time, "monotonic", lambda: clock[0])
    cache, sign = _SignedUrlCache(max_entries=10), Signer()

    first = cache.get("a.jpg", 100, sign)
    clock[0] += 49.9
    assert cache.get("a.jpg", 100, sign) == first
    clock[0] += 0.1
    assert cache.get("a.jpg", 100, sign) != first
    assert sign.signed == 2


def test_when_full_it_forgets_the_urls_signed_longest_ago():
    cache, sign = _SignedUrlCache(max_entries=2), Signer()
    for name in ("a", "b"):
        cache.signed(name, sign(), now=0)
    cache.signed("a", sign(), now=1)  # signed again: now the newest
    cache.signed("c", sign(), now=2)

    assert list(cache.entries) == ["a", "c"]
    assert cache.fresh("b", 100, now=2) is None


@pytest.mark.parametrize("name", ["", None])
def test_no_name_is_no_url(name):
    assert AbsoluteURLs(default_storage, None)(name) is None


def test_a_page_signs_each_name_once_and_the_next_page_reuses_them(bucket, monkeypatch):
    storage = storages["default"]
    signed = []
    sign = storage.url
    monkeypatch.setattr(storage, "url", lambda name: signed.append(name) or sign(name))
    a, b = f"resumes/{uuid.uuid4().hex}.jpg", f"resumes/{uuid.uuid4().hex}.jpg"

    urls = AbsoluteURLs(default_storage, None)
    first = [urls(a), urls(b), urls(a)]
    again = AbsoluteURLs(default_storage, None)(a)

    assert first[0] == first[2] == again != first[1]
    assert "X-Amz-Signature=" in again
    assert signed == [a, b]


def test_a_page_signs_again_a_url_past_half_its_lifetime(bucket, monkeypatch):
    storage = storages["default"]
    clock = [5000.0]
    monkeypatch.setattr(links.time, "monotonic", lambda: clock[0])
    signed = []
    sign = storage.url
    monkeypatch.setattr(storage, "url", lambda name: signed.append(name) or sign(name))
    name = f"resumes/{uuid.uuid4().hex}.jpg"
    half = storage.querystring_expire / 2

    first = AbsoluteURLs(default_storage, None)(name)
    clock[0] += half - 0.1
    assert AbsoluteURLs(default_storage, None)(name) == first
    clock[0] += 0.1
    AbsoluteURLs(default_storage, None)(name)

    assert signed == [name, name]
