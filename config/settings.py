"""Django settings for resume-api.

Every value comes from the environment (a `.env` file in the project root is loaded
first, without overriding variables that are already set). `.env.example` documents
each variable. Without any environment the project runs on embedded defaults only
when DEBUG is on: SQLite in the project folder and images on local disk.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from botocore.config import Config as BotoConfig
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

from config.env import env_bool, env_int, env_list, env_str
from storage.budget import check_budget

BASE_DIR = Path(__file__).resolve().parent.parent

# ENV_FILE names another file to load (or /dev/null for none); real env vars always win.
load_dotenv(env_str("ENV_FILE") or BASE_DIR / ".env", override=False)

# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment (or .env) to a long "
            "random value, or set DEBUG=1 for local development."
        )
    # Local development only: DEBUG is on, so nothing signed with it is trusted elsewhere.
    SECRET_KEY = "django-insecure-local-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "axes",
    "drf_yasg",
    "storages",
    "storage",
    "images",
    "users",
    "profiles",
    "resumes",
    "uploads",
    "presentation",
    "pdfs",
    "exports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "api.middleware.RequestLogMiddleware",
    "api.middleware.S3BudgetMiddleware",
    "api.middleware.RequestBodyLimitMiddleware",
    "api.middleware.QueryParameterCheckMiddleware",
    "api.middleware.HeadAsGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "api.middleware.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns an admin login refused by django-axes into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Each theme's folder holds its template: "classic/resume.html" (presentation/themes.py).
        "DIRS": [BASE_DIR / "presentation" / "themes"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, so that concurrent read-modify-write
    # transactions queue up instead of racing (PostgreSQL uses row locks instead), and wait
    # for it rather than failing at once.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and passwords -------------------------------------------------------

AUTH_USER_MODEL = "users.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "users.validators.PasswordVarietyValidator"},
]

# django-axes refuses locked-out clients before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Account flows (users/: verification, password reset, e-mail change) -----------------

# The try-it page or SPA that e-mailed links open (with a trailing slash): a verification link
# is FRONTEND_URL + "#/verify-email/<uid>/<token>" (djoser's ACTIVATION_URL, below). Required in
# production (`check --deploy` warns without it).
FRONTEND_URL = env_str("FRONTEND_URL", "http://127.0.0.1:5173/" if DEBUG else "")
# The service's name in e-mails.
SITE_NAME = env_str("SITE_NAME", "resume-api")
# Whether an account whose e-mail address is not verified yet may log in (the API says it is
# unverified: email_verified in /api/auth/me/ and in the token answer).
ACCOUNT_UNVERIFIED_LOGIN = env_bool("ACCOUNT_UNVERIFIED_LOGIN", True)
# Lifetime of a password reset link (Django's token generator reads this setting).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 3600)
# Lifetime of a verification link, and of the link that confirms a new e-mail address.
EMAIL_VERIFICATION_TIMEOUT = env_int("EMAIL_VERIFICATION_TIMEOUT_SECONDS", 3 * 24 * 3600)
# Messages anyone can cause (verification links, reset links, notices) that one address gets
# in an hour, at most; more are not sent (the requests answer as before), so a mailbox cannot
# be flooded through sign-ups from many clients.
ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = env_int("ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR", 10)
# Account e-mails are sent by background tasks; a failed send is retried this many times, after
# 1, 2, 4, ... s (at most EMAIL_SEND_RETRY_BACKOFF_MAX_SECONDS, randomised).
EMAIL_SEND_MAX_RETRIES = env_int("EMAIL_SEND_MAX_RETRIES", 8)
EMAIL_SEND_RETRY_BACKOFF_MAX_SECONDS = env_int("EMAIL_SEND_RETRY_BACKOFF_MAX_SECONDS", 600)
# djoser: its e-mail classes and serializers are used by users/ (not its views); the links
# open the frontend.
DJOSER = {
    "ACTIVATION_URL": "#/verify-email/{uid}/{token}",
    "PASSWORD_RESET_CONFIRM_URL": "#/reset-password/{uid}/{token}",
    "PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND": False,
    "TOKEN_MODEL": None,
    "HIDE_USERS": True,
}

# --- E-mail (Django's e-mail framework) ----------------------------------------------

# With EMAIL_HOST, mail goes out over SMTP; without it, to the console (`make run`).
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
# STARTTLS on the submission port (587) by default; EMAIL_USE_SSL for implicit TLS (465).
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set one of EMAIL_USE_TLS and EMAIL_USE_SSL, not both.")
# Seconds an SMTP server may take to answer before the send fails (and is retried).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "resume-api <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Account exports (exports/) ---------------------------------------------------------

# An export is deleted this many hours after it is built (and with its account).
EXPORT_RETENTION_HOURS = env_int("EXPORT_RETENTION_HOURS", 24)
# Lifetime of an export's presigned download link.
EXPORT_URL_EXPIRE_SECONDS = env_int("EXPORT_URL_EXPIRE_SECONDS", 300)
# An export larger than this is refused (it fails with a reason) rather than stored.
EXPORT_MAX_BYTES = env_int("EXPORT_MAX_BYTES", 1024 * 1024 * 1024)
# An export is built by a background task, which gets SoftTimeLimitExceeded (and gives up,
# leaving nothing) after EXPORT_SOFT_TIME_LIMIT seconds and is killed after EXPORT_TIME_LIMIT.
EXPORT_SOFT_TIME_LIMIT = env_int("EXPORT_SOFT_TIME_LIMIT", 600)
EXPORT_TIME_LIMIT = env_int("EXPORT_TIME_LIMIT", 660)
# A build failing on S3 is retried this many times, after 1, 2, 4, ... s (at most this).
EXPORT_MAX_RETRIES = env_int("EXPORT_MAX_RETRIES", 5)
EXPORT_RETRY_BACKOFF_MAX_SECONDS = env_int("EXPORT_RETRY_BACKOFF_MAX_SECONDS", 120)

# --- Login lockouts (django-axes; the rules are explained in users/lockout.py) -----------

LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
LOGIN_LOCKOUT_ACCOUNT_MINUTES = env_int("LOGIN_LOCKOUT_ACCOUNT_MINUTES", 5)
# (fields failures are grouped by, failures that lock, minutes the lock lasts)
LOGIN_LOCKOUT_RULES = [
    (("username", "ip_address"), env_int("LOGIN_LOCKOUT_FAILURES", 5), LOGIN_LOCKOUT_MINUTES),
    (("ip_address",), env_int("LOGIN_LOCKOUT_ADDRESS_FAILURES", 20), LOGIN_LOCKOUT_MINUTES),
    (
        ("username",),
        env_int("LOGIN_LOCKOUT_ACCOUNT_FAILURES", 10),
        LOGIN_LOCKOUT_ACCOUNT_MINUTES,
    ),
]
# Failures live in the database, so every worker and every instance sees the same counts.
AXES_HANDLER = "users.lockout.TieredLockoutHandler"
# The handler reports how many rules lock the client out: one is enough.
AXES_FAILURE_LIMIT = 1
# Failed attempts are kept (and counted) for the longest cool-off.
AXES_COOLOFF_TIME = timedelta(minutes=max(LOGIN_LOCKOUT_MINUTES, LOGIN_LOCKOUT_ACCOUNT_MINUTES))
# What a successful login clears: that username's failures from that address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Refused attempts during a lockout do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "users.lockout.client_ip"
AXES_USERNAME_CALLABLE = "users.lockout.lockout_username"
AXES_LOCKOUT_CALLABLE = "users.lockout.lockout_response"
# No row per successful login (it would grow forever and create a session per API login).
AXES_DISABLE_ACCESS_LOG = True

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files and uploaded media -----------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")

# --- Images --------------------------------------------------------------------

IMAGE_MAX_BYTES = env_int("IMAGE_MAX_BYTES", 5 * 1024 * 1024)
# Checked from the header, before decoding: the guard against decompression bombs. 50 MP
# admits the photos of today's phones (48-50 MP sensors). It also sets the memory budget of
# decoding one image, 4 bytes a pixel: what a file needs beyond that (a WebP or 16-bit PNG
# decodes to more bytes a pixel than a JPEG) is refused before decoding.
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 50_000_000)
IMAGE_MIN_DIMENSION = env_int("IMAGE_MIN_DIMENSION", 16)
IMAGE_MAX_DIMENSION = env_int("IMAGE_MAX_DIMENSION", 12_000)
IMAGE_THUMBNAIL_SIZE = env_int("IMAGE_THUMBNAIL_SIZE", 256)
# Longest side of a stored image, at most: larger images are scaled down. A JPEG is scaled
# by 1/2, 1/4 or 1/8 while it is decoded (far cheaper than resampling), so it is stored at
# between half this size and this size. 1024-2048 px is sharp on a high-density screen and
# in print at the size of a résumé photo.
IMAGE_STORED_SIZE = env_int("IMAGE_STORED_SIZE", 2048)
# Scans a JPEG may have: libjpeg walks the whole image for each one. Encoders write 1
# (baseline) or 3-18 (progressive); more is an attack.
IMAGE_JPEG_MAX_SCANS = env_int("IMAGE_JPEG_MAX_SCANS", 24)
IMAGE_JPEG_QUALITY = env_int("IMAGE_JPEG_QUALITY", 85)
# Keys are never reused, so a stored image never changes.
IMAGE_CACHE_CONTROL = env_str("IMAGE_CACHE_CONTROL", "max-age=31536000, immutable")
# Lifetime of the presigned URL a public résumé's image link redirects to: at most this
# long after its share link is revoked, a URL handed out before still loads the image.
PUBLIC_IMAGE_URL_EXPIRE_SECONDS = env_int("PUBLIC_IMAGE_URL_EXPIRE_SECONDS", 60)
# How long a public page's HTML is kept in the cache; any change to the résumé is a new entry.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 3600)
# Lifetime of a presigned POST for a direct browser upload.
UPLOAD_URL_EXPIRE_SECONDS = env_int("UPLOAD_URL_EXPIRE_SECONDS", 300)
# Largest request body accepted (an image plus the other form fields); larger gets 413.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", IMAGE_MAX_BYTES + 512 * 1024)

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")

# gunicorn kills a worker whose request takes longer (deploy/gunicorn.conf.py reads it too).
GUNICORN_TIMEOUT = env_int("GUNICORN_TIMEOUT", 30)
# Every request's S3 calls end within this many seconds of its start (storage/budget.py), so
# a hanging S3 answers 503 before the worker is killed.
AWS_S3_REQUEST_BUDGET_SECONDS = env_int("AWS_S3_REQUEST_BUDGET_SECONDS", 15)
AWS_S3_CONNECT_TIMEOUT = env_int("AWS_S3_CONNECT_TIMEOUT", 3)
AWS_S3_MAX_ATTEMPTS = env_int("AWS_S3_MAX_ATTEMPTS", 3)
_s3_budget_problem = check_budget(
    budget=AWS_S3_REQUEST_BUDGET_SECONDS,
    connect_timeout=AWS_S3_CONNECT_TIMEOUT,
    max_attempts=AWS_S3_MAX_ATTEMPTS,
    worker_timeout=GUNICORN_TIMEOUT,
)
if AWS_STORAGE_BUCKET_NAME and _s3_budget_problem:
    raise ImproperlyConfigured(_s3_budget_problem)

if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storage.backends.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # A key prefix for every object (a bucket shared with others); names in the
            # database and the API stay relative to it.
            "location": env_str("AWS_LOCATION"),
            # Empty means "let boto3 find credentials" (instance role, ~/.aws, ...).
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
            "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 3600),
            # Keys are generated server-side; never replace an existing object silently.
            "file_overwrite": False,
            # New buckets have ACLs disabled; privacy comes from the bucket policy.
            "default_acl": None,
            "object_parameters": {"CacheControl": IMAGE_CACHE_CONTROL},
            "client_config": BotoConfig(
                connect_timeout=AWS_S3_CONNECT_TIMEOUT,
                read_timeout=env_int("AWS_S3_READ_TIMEOUT", 10),
                retries={"mode": "standard", "max_attempts": AWS_S3_MAX_ATTEMPTS},
                signature_version="s3v4",
                s3={"addressing_style": env_str("AWS_S3_ADDRESSING_STYLE") or "auto"},
            ),
        },
    }
else:
    DEFAULT_STORAGE = {
        "BACKEND": "storage.backends.LocalStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- REST API ------------------------------------------------------------------

# --- Cache (throttle counters) -------------------------------------------------

# With REDIS_URL the cache (and so every throttle count) is shared by all workers.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Background work (Celery) ---------------------------------------------------

# Broker and result backend: CELERY_BROKER_URL, else REDIS_URL. With neither, tasks run in
# the process that enqueues them (after its transaction commits), as `make run` does.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or CELERY_BROKER_URL or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Celery still takes a producer for a task it runs in-process; kombu's in-memory transport
    # keeps it from naming (and warning about) AMQP on localhost. Nothing is sent through it.
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = timedelta(hours=1)
# A task is acknowledged when it ends, so a worker that dies mid-task leaves it to another
# (tasks are idempotent); one task at a time per process, fetched when it is free.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task that runs too long gets SoftTimeLimitExceeded, then its process is killed.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90)
# A worker process is replaced after this many tasks, or once it holds this much memory
# (KiB), so that nothing a render leaves behind accumulates.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 200)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 400_000)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Celery beat (one per deployment) runs the orphan sweep every ORPHAN_SWEEP_INTERVAL_HOURS; it
# deletes unreferenced objects older than ORPHAN_SWEEP_OLDER_THAN_HOURS (newer ones may belong
# to a request or render in progress).
ORPHAN_SWEEP_INTERVAL_HOURS = env_int("ORPHAN_SWEEP_INTERVAL_HOURS", 24)
ORPHAN_SWEEP_OLDER_THAN_HOURS = env_int("ORPHAN_SWEEP_OLDER_THAN_HOURS", 24)
CELERY_BEAT_SCHEDULE = {
    "sweep-orphans": {
        "task": "storage.tasks.sweep_orphans",
        "schedule": timedelta(hours=ORPHAN_SWEEP_INTERVAL_HOURS),
        "kwargs": {"older_than_hours": ORPHAN_SWEEP_OLDER_THAN_HOURS},
    },
    # Exports past EXPORT_RETENTION_HOURS go, rows and objects.
    "delete-expired-exports": {
        "task": "exports.tasks.delete_expired_exports",
        "schedule": timedelta(hours=1),
    },
}
# A deleted account's objects are deleted by a task after the deletion commits; one failing
# on S3 is retried this many times, after 1, 2, 4, ... s (at most this): about 20 hours by
# default. What is still left after that is unreferenced, and the orphan sweep deletes it.
STORAGE_DELETE_MAX_RETRIES = env_int("STORAGE_DELETE_MAX_RETRIES", 50)
STORAGE_DELETE_RETRY_BACKOFF_MAX_SECONDS = env_int("STORAGE_DELETE_RETRY_BACKOFF_MAX_SECONDS", 1800)

# --- PDFs ------------------------------------------------------------------------

# A résumé whose PDF has more pages is refused (422): rendering time and memory grow with it.
PDF_MAX_PAGES = env_int("PDF_MAX_PAGES", 12)
# Lifetime of the presigned URL a download redirects to (the redirect may be cached for half).
PDF_URL_EXPIRE_SECONDS = env_int("PDF_URL_EXPIRE_SECONDS", 60)
# A download of a PDF not rendered yet answers 202 with this Retry-After.
PDF_RETRY_AFTER_SECONDS = env_int("PDF_RETRY_AFTER_SECONDS", 3)
# A render of one résumé state is queued at most once in this many seconds (then again, in
# case the first was lost).
PDF_RENDER_ENQUEUE_WINDOW_SECONDS = env_int("PDF_RENDER_ENQUEUE_WINDOW_SECONDS", 60)
# A render that fails on S3 is retried this many times, after 1, 2, 4, ... s (at most this).
PDF_RENDER_MAX_RETRIES = env_int("PDF_RENDER_MAX_RETRIES", 5)
PDF_RENDER_RETRY_BACKOFF_MAX_SECONDS = env_int("PDF_RENDER_RETRY_BACKOFF_MAX_SECONDS", 120)
# How long a résumé state found too long is remembered (in the cache), so that downloads
# answer 422 instead of rendering it again.
PDF_REFUSAL_SECONDS = env_int("PDF_REFUSAL_SECONDS", 24 * 3600)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "users.authentication.AccessTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.NestingSafeJSONParser"],
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    # Scopes are attached per view with ScopedRateThrottle; each rate is "<n>/<second|minute|
    # hour|day>" and can be set from the environment.
    # 0: the client is the socket's address (X-Forwarded-For is ignored); n: the address the
    # n-th trusted proxy from the right appended to X-Forwarded-For. DRF's None would trust the
    # header as sent, letting every client choose its own identity.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
    "DEFAULT_THROTTLE_RATES": {
        "login": env_str("THROTTLE_LOGIN_RATE", "10/minute"),
        # Accounts created per address; failed attempts don't count toward it, only toward
        # the wider register_attempt rate.
        "register": env_str("THROTTLE_REGISTER_RATE", "5/hour"),
        "register_attempt": env_str("THROTTLE_REGISTER_ATTEMPT_RATE", "30/hour"),
        "public_resume": env_str("THROTTLE_PUBLIC_RESUME_RATE", "60/minute"),
        # Direct-upload tickets, per user.
        "upload": env_str("THROTTLE_UPLOAD_RATE", "60/hour"),
        "account_change": env_str("THROTTLE_ACCOUNT_CHANGE_RATE", "10/hour"),
        # Password reset and verification e-mails: per client address, and per e-mail
        # address asked for (whether or not an account has it).
        "account_email": env_str("THROTTLE_ACCOUNT_EMAIL_RATE", "10/hour"),
        "account_email_address": env_str("THROTTLE_ACCOUNT_EMAIL_ADDRESS_RATE", "3/hour"),
        # Links opened (verification, reset, e-mail change), per client address.
        "account_link": env_str("THROTTLE_ACCOUNT_LINK_RATE", "30/hour"),
        # Checks of the current password (change password, change e-mail, delete), per account.
        "password_check": env_str("THROTTLE_PASSWORD_CHECK_RATE", "10/hour"),
        # Exports started, per account.
        "export": env_str("THROTTLE_EXPORT_RATE", "5/day"),
    },
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_TOKEN_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_TOKEN_DAYS", 7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    # The login view sends Django's user_logged_in signal, which updates last_login.
    "UPDATE_LAST_LOGIN": False,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

SWAGGER_SETTINGS = {
    # OpenAPI 2.0 has no bearer scheme: the token goes in the Authorization header as-is.
    "SECURITY_DEFINITIONS": {
        "Bearer": {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Type `Bearer <access token>` (from POST /api/auth/token/).",
        }
    },
    "USE_SESSION_AUTH": False,
    "PERSIST_AUTH": True,
    # Operations read by their summaries; bodies open on their examples, which work as
    # they stand. Sections and operations keep the document's order (no tagsSorter or
    # operationsSorter): a person's path, set by api.openapi.DocumentGenerator.
    "DISPLAY_OPERATION_ID": False,
    "DEFAULT_MODEL_RENDERING": "example",
    # Vendor extensions (x-example, x-nullable) already show as examples and "nullable".
    "SHOW_EXTENSIONS": False,
    "DEFAULT_GENERATOR_CLASS": "api.openapi.DocumentGenerator",
    "DEFAULT_AUTO_SCHEMA_CLASS": "api.openapi.AutoSchema",
}
SWAGGER_USE_COMPAT_RENDERERS = False

# --- CORS and HTTP security --------------------------------------------------

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
# A 202 (a PDF still rendering) says when to ask again; a page on another origin can read it.
CORS_EXPOSE_HEADERS = ["Retry-After"]

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"

# --- Logging -------------------------------------------------------------------

# JSON lines in production (one object per line, with the request id); plain text for DEBUG.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "api.logging.RequestIdFilter"}},
    "formatters": {
        # One object per line: these fields, then any passed with `extra=` (the request log's
        # method, path, status, duration_ms, user_id), then `exception` if there is one.
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "exc_info": "exception",
            },
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "botocore": {"level": "WARNING"},
        "boto3": {"level": "WARNING"},
        # The request log already records every 4xx; keep this logger for server errors.
        "django.request": {"level": "ERROR"},
    },
}
