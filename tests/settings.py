"""Settings for the test suite: the project's own settings, read from a fixed environment.

The image store is S3 (`S3Boto3Storage`), which the tests back with moto.
"""

import os
import tempfile

# A developer's .env or shell must not change what the suite tests; only the database may
# be chosen from outside (CI runs the suite on SQLite and on PostgreSQL).
os.environ["ENV_FILE"] = os.devnull
for variable in (
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_S3_ADDRESSING_STYLE",
    "AWS_LOCATION",
    "REDIS_URL",
    "EMAIL_HOST",
):
    os.environ.pop(variable, None)
os.environ.update(
    {
        "DEBUG": "0",
        "FRONTEND_URL": "http://frontend.test/app/",
        "SECRET_KEY": "test-suite-only-secret-key-not-used-anywhere-else-0123456789",
        "SECURE_SSL_REDIRECT": "0",
        "AWS_STORAGE_BUCKET_NAME": "resume-api-test",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_QUERYSTRING_AUTH": "1",
        "AWS_QUERYSTRING_EXPIRE": "3600",
        # Fault tests wait for these; production defaults are longer.
        "AWS_S3_CONNECT_TIMEOUT": "1",
        "AWS_S3_READ_TIMEOUT": "1",
        "AWS_S3_MAX_ATTEMPTS": "2",
        # Throttling has its own tests; elsewhere it must not get in the way.
        "THROTTLE_LOGIN_RATE": "10000/minute",
        "THROTTLE_REGISTER_RATE": "10000/minute",
        "THROTTLE_REGISTER_ATTEMPT_RATE": "10000/minute",
        "THROTTLE_PUBLIC_RESUME_RATE": "10000/minute",
        "THROTTLE_UPLOAD_RATE": "10000/minute",
        "THROTTLE_ACCOUNT_CHANGE_RATE": "10000/minute",
        "THROTTLE_ACCOUNT_EMAIL_RATE": "10000/minute",
        "THROTTLE_ACCOUNT_EMAIL_ADDRESS_RATE": "10000/minute",
        "THROTTLE_ACCOUNT_LINK_RATE": "10000/minute",
        "THROTTLE_PASSWORD_CHECK_RATE": "10000/minute",
        "THROTTLE_EXPORT_RATE": "10000/minute",
    }
)

from config.settings import *  # noqa: E402,F403
from config.settings import DATABASES, STORAGES  # noqa: E402

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's shared-cache in-memory database: there SQLite locks tables without
    # waiting, so threads with their own connections (the concurrency tests) would fail
    # instead of queueing for the write lock as the project's real SQLite database does.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"resume-api-test-{os.getpid()}.sqlite3")
    }
    # Durability against power loss is no part of what the tests prove; an fsync on every
    # commit made each transactional test's flush cost about 0.4 s.
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous=OFF"

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# No collected files to serve: the project's staticfiles/ is written by other tests'
# collectstatic (the topology's) while WhiteNoise would be reading it.
STATIC_ROOT = os.path.join(tempfile.gettempdir(), f"resume-api-test-static-{os.getpid()}-absent")

# Hashing cost is irrelevant to what the tests prove.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
