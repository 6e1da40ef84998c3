"""Security headers and the HTTPS redirect, as the settings configure them."""

import pytest

pytestmark = pytest.mark.django_db


def test_security_headers_on_https(anon, settings):
    settings.SECURE_HSTS_SECONDS = 31536000

    response = anon.get("/api/auth/me/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_no_hsts_over_plain_http(anon, settings):
    settings.SECURE_HSTS_SECONDS = 31536000

    assert "Strict-Transport-Security" not in anon.get("/api/auth/me/")


def test_pages_may_not_be_framed(client):
    assert client.get("/admin/login/")["X-Frame-Options"] == "DENY"


def test_plain_http_is_redirected_when_ssl_redirect_is_on(anon, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = anon.get("/api/resumes/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/api/resumes/"
