"""Settings come from the environment; each case starts a fresh interpreter to read them."""

import pytest
from django.core.files.storage import default_storage

from resumes.models import Resume
from tests.support.processes import PRODUCTION_ENV, PROJECT, run_django, settings_value
from tests.support.uploads import image_upload


def test_check_deploy_is_clean_with_production_env():
    result = run_django(PRODUCTION_ENV, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_missing_secret_key_fails_at_start_with_a_clear_message():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = run_django(env, "manage.py", "check")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_set():
    assert settings_value({"SECRET_KEY": "x" * 50}, "settings.DEBUG") is False


def test_bucket_selects_s3_storage_with_private_presigned_urls():
    storages = settings_value(PRODUCTION_ENV, "settings.STORAGES['default']")

    assert storages["BACKEND"] == "storage.backends.S3Storage"
    options = storages["OPTIONS"]
    assert options["bucket_name"] == "resume-prod"
    assert options["region_name"] == "eu-west-1"
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert options["default_acl"] is None


def test_without_bucket_images_go_to_local_disk():
    storages = settings_value({"DEBUG": "1"}, "settings.STORAGES['default']")

    assert storages["BACKEND"] == "storage.backends.LocalStorage"
    assert storages["OPTIONS"]["location"].endswith("media")


def test_lists_and_database_url_come_from_env():
    env = {
        **PRODUCTION_ENV,
        "ALLOWED_HOSTS": "a.example.com, b.example.com",
        "CORS_ALLOWED_ORIGINS": "https://app.example.com,https://admin.example.com",
        "DATABASE_URL": "postgres://u:p@db.internal:5433/resumes",
    }

    values = settings_value(
        env,
        "[settings.ALLOWED_HOSTS, settings.CORS_ALLOWED_ORIGINS, "
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['HOST']]",
    )

    assert values == [
        ["a.example.com", "b.example.com"],
        ["https://app.example.com", "https://admin.example.com"],
        "django.db.backends.postgresql",
        "db.internal",
    ]


def test_ssl_redirect_defaults_on_in_production_and_can_be_turned_off():
    assert settings_value(PRODUCTION_ENV, "settings.SECURE_SSL_REDIRECT") is True
    off = {**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "0"}
    assert settings_value(off, "settings.SECURE_SSL_REDIRECT") is False


@pytest.mark.django_db
def test_local_disk_storage_returns_absolute_media_urls(api, local_disk, bucket):
    response = api.post(
        "/api/resumes/", {"title": "Local", "image": image_upload()}, format="multipart"
    )

    assert response.status_code == 201
    name = Resume.objects.get().image.name
    assert response.json()["image"] == f"http://testserver/media/{name}"
    assert (local_disk / name).is_file()
    assert default_storage.exists(name)
    assert bucket.object_keys() == []


@pytest.mark.django_db
def test_cors_allows_only_configured_origins(anon, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    allowed = anon.options(
        "/api/resumes/",
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    foreign = anon.options(
        "/api/resumes/",
        HTTP_ORIGIN="https://evil.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )

    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "authorization" in allowed["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in foreign


def test_env_example_documents_every_setting_read_from_the_environment():
    import re

    read = set(
        re.findall(
            r'env_(?:str|bool|int|list)\("([A-Z_]+)"', (PROJECT / "config/settings.py").read_text()
        )
    )
    documented = set(re.findall(r"^#? ?([A-Z_]+)=", (PROJECT / ".env.example").read_text(), re.M))

    assert read
    assert read - documented == set()
