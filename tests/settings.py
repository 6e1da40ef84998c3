"""Settings for the test suite: the project's settings, with S3 (moto) as default storage."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from config.settings import *  # noqa: F403

TEST_BUCKET = "resume-api-test"

STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3boto3.S3Boto3Storage",
        "OPTIONS": {
            "bucket_name": TEST_BUCKET,
            "access_key": "testing",
            "secret_key": "testing",
            "region_name": "us-east-1",
            "signature_version": "s3v4",
            "querystring_auth": True,
            "querystring_expire": 3600,
            "file_overwrite": False,
            "default_acl": None,
        },
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Hashing cost is irrelevant to what the tests prove.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
