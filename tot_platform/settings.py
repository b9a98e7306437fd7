"""TOT Platform settings: one module, driven by environment variables.

With nothing but ``DEBUG=true`` set, the platform runs embedded: SQLite, a filesystem
Celery broker and console e-mail. In production (DEBUG off) ``SECRET_KEY`` and
``DATABASE_URL`` are required; a missing or malformed one stops the process with one
line naming the variable.
"""

import sys
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Only an explicitly named file is read: a .env written for docker compose must not
# leak production values into `make run` or the tests.
if "ENV_FILE" in env:
    environ.Env.read_env(env.str("ENV_FILE"), overwrite=False)

# Where the embedded defaults keep their files: SQLite, the Celery queue, uploads.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))


def _refuse_to_start(variable: str, problem: str) -> None:
    """Stop with one readable line instead of a traceback: the operator fixes one variable."""
    sys.stderr.write(f"Configuration error: {variable} {problem}\n")
    raise SystemExit(1)


DEBUG = env.bool("DEBUG", default=False)

# --- Secrets and hosts -------------------------------------------------------------
_DEV_SECRET_KEY = "django-insecure-tot-platform-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        _refuse_to_start("SECRET_KEY", "is not set; it is required when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    _refuse_to_start("SECRET_KEY", "is too weak; use at least 50 random characters.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Database ----------------------------------------------------------------------
_EMBEDDED_DATABASE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
VAR_DIR.mkdir(parents=True, exist_ok=True)
if "DATABASE_URL" not in env and not DEBUG:
    _refuse_to_start("DATABASE_URL", "is not set; it is required when DEBUG is off.")
_SUPPORTED_DATABASE_ENGINES = {"django.db.backends.postgresql", "django.db.backends.sqlite3"}
with warnings.catch_warnings(record=True) as _url_warnings:
    warnings.simplefilter("always")
    try:
        DATABASES = {"default": env.db_url("DATABASE_URL", default=_EMBEDDED_DATABASE_URL)}
    except (ValueError, KeyError, environ.ImproperlyConfigured) as error:
        _refuse_to_start("DATABASE_URL", f"is malformed ({error}).")
if _url_warnings or DATABASES["default"].get("ENGINE") not in _SUPPORTED_DATABASE_ENGINES:
    _refuse_to_start("DATABASE_URL", "must be a postgres:// or sqlite:// URL.")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # web, worker and beat write to the embedded database at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # A silent database must fail /healthz fast, not hold a worker until its timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications ------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "phonenumber_field",
    "members",
    "curriculum",
    "cohorts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "tot_platform.urls"
WSGI_APPLICATION = "tot_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.context_processors.navigation",
            ],
        },
    },
]

# --- Accounts (django-allauth) -----------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[TOT] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# allauth's rate limits are on by default; they are listed here so they are visible
# and tunable. They count in the cache, which is shared (Redis) in production.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}

PHONENUMBER_DEFAULT_REGION = "ID"
PHONENUMBER_DB_FORMAT = "E164"
# Bumped whenever the consent text in templates/members/consent_text.html changes.
MEMBER_CONSENT_TEXT_VERSION = "2026-11"
# Imports of more rows than this run in a Celery task with a progress bar.
MEMBER_IMPORT_INLINE_MAX_ROWS = env.int("MEMBER_IMPORT_INLINE_MAX_ROWS", default=2000)
MEMBER_IMPORT_MAX_UPLOAD_MB = env.int("MEMBER_IMPORT_MAX_UPLOAD_MB", default=20)
# Undecided imports (and their files, which hold NIKs) are discarded after this many days.
MEMBER_IMPORT_KEEP_DAYS = env.int("MEMBER_IMPORT_KEEP_DAYS", default=14)
CURRICULUM_MATERIAL_MAX_UPLOAD_MB = env.int("CURRICULUM_MATERIAL_MAX_UPLOAD_MB", default=25)
# Session photos and signed sign-in sheets: the largest file accepted, and photos per report.
SESSION_LOG_MAX_UPLOAD_MB = env.int("SESSION_LOG_MAX_UPLOAD_MB", default=10)
SESSION_REPORT_MAX_PHOTOS = env.int("SESSION_REPORT_MAX_PHOTOS", default=10)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Language and time -------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

# --- Static files (WhiteNoise; no CDN) ---------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Cache, e-mail -----------------------------------------------------------------
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587 (see README).
globals().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="TOT Platform <noreply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Where links in messages point (messages are sent outside any request).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Registration: seats are taken under a row lock on the cohort; waiting for it is capped
# so a rush answers "try again" instead of queueing requests (seconds).
ENROLLMENT_LOCK_TIMEOUT = env.float("ENROLLMENT_LOCK_TIMEOUT", default=3.0)
# Anti-abuse on a cohort's registration page: POSTs counted per client IP and per
# logged-in account (allauth's syntax: amount/period/ip|user), in the shared cache. The
# IP limit is loose because a training room or a mobile carrier puts many people behind
# one address; every post counts, also one with a typo to fix, so an account gets ten a
# minute. An empty value switches the limit off (e.g. for bench/registration_rush.py).
REGISTRATION_RATE_LIMITS = env.str("REGISTRATION_RATE_LIMITS", default="30/m/ip,10/m/user")
# QR self check-in: the session's code on the trainer's screen changes every this many
# seconds (a code stays good for one more period, so a scan at the change still works);
# check-in opens this many minutes before a session starts and closes when it ends.
CHECKIN_QR_ROTATION_SECONDS = env.int("CHECKIN_QR_ROTATION_SECONDS", default=120)
CHECKIN_OPENS_MINUTES_BEFORE = env.int("CHECKIN_OPENS_MINUTES_BEFORE", default=30)
# Check-in attempts (scanned link or typed code) per client IP and per account, as above.
CHECKIN_RATE_LIMITS = env.str("CHECKIN_RATE_LIMITS", default="60/m/ip,10/m/user")
# Test-only switches for the control test that proves the race is real: never set them.
ENROLLMENT_LOCK_ENABLED = True
ENROLLMENT_TEST_RACE_SLEEP = 0.0
# The public certificate verify page: look-ups per client IP (same syntax as above). A
# verification code has 31^10 values, so this guards the server rather than the codes.
CERTIFICATE_VERIFY_RATE_LIMITS = env.str("CERTIFICATE_VERIFY_RATE_LIMITS", default="30/m/ip")

# --- Security (production-safe unless DEBUG) --------------------------------------
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# Rate limits per IP (allauth's and registration's) read the client's address from
# X-Forwarded-For behind that many proxies; else every visitor would share the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_TLS_PROXY else 0)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers and the compose health check probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Celery ------------------------------------------------------------------------
# Without a broker URL the platform needs no server: kombu's filesystem transport
# passes messages through a folder that web, worker and beat share.
_CELERY_QUEUE_DIR = VAR_DIR / "celery" / "queue"
_CELERY_DEFAULT_BROKER = "filesystem://localhost//"
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default=env.str("REDIS_URL", default=_CELERY_DEFAULT_BROKER)
)
_CELERY_RESULTS_DIR = VAR_DIR / "celery" / "results"
_CELERY_CONTROL_DIR = VAR_DIR / "celery" / "control"
(VAR_DIR / "celery").mkdir(exist_ok=True)  # beat keeps its schedule there in every setup
# Redis hands an unacknowledged task to another worker after the visibility timeout. It
# must outlast the longest task (a member import, 21 minutes); retries of messages wait
# in the outbox, not in the broker, so no retry delay adds to it.
CELERY_VISIBILITY_TIMEOUT = 2 * 60 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _folder in (_CELERY_QUEUE_DIR, _CELERY_RESULTS_DIR, _CELERY_CONTROL_DIR):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_CELERY_QUEUE_DIR),
        "data_folder_out": str(_CELERY_QUEUE_DIR),
        "control_folder": str(_CELERY_CONTROL_DIR),
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 5
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND",
    default=(
        f"file://{_CELERY_RESULTS_DIR}"
        if CELERY_BROKER_URL.startswith("filesystem://")
        else CELERY_BROKER_URL
    ),
)
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# Every task is idempotent, so a message is acknowledged only after the task ran and
# is redelivered when the worker running it dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "members.clear_expired_sessions",
        "schedule": 60 * 60 * 6,
    },
    "discard-stale-member-imports": {
        "task": "members.discard_stale_imports",
        "schedule": 60 * 60 * 24,
    },
    "dispatch-notifications": {
        "task": "cohorts.dispatch_notifications",
        "schedule": 60,
    },
}

# --- Notifications (the outbox in cohorts.services.notifications) ------------------
# Every provider call gives up after this many seconds.
NOTIFICATION_PROVIDER_TIMEOUT = env.int("NOTIFICATION_PROVIDER_TIMEOUT", default=10)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
# Retry after 1, 2, 4, 8 … minutes, never more than an hour apart.
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=60)
NOTIFICATION_RETRY_MAX_SECONDS = 60 * 60
# A row left "sending" this long belongs to a worker that died; it is claimed again.
# Longer than the send task's hard time limit, so a live send is never taken over.
NOTIFICATION_SENDING_TIMEOUT = env.int("NOTIFICATION_SENDING_TIMEOUT", default=10 * 60)
NOTIFICATION_DISPATCH_BATCH = env.int("NOTIFICATION_DISPATCH_BATCH", default=500)
NOTIFICATION_CHANNEL_FALLBACK = env.list(
    "NOTIFICATION_CHANNEL_FALLBACK", default=["whatsapp", "sms", "email"]
)
NOTIFICATION_MESSAGE_ID_DOMAIN = env.str(
    "NOTIFICATION_MESSAGE_ID_DOMAIN", default=urlsplit(SITE_URL).hostname or "localhost"
)
WHATSAPP_API_URL = env.str("WHATSAPP_API_URL", default="")
WHATSAPP_API_TOKEN = env.str("WHATSAPP_API_TOKEN", default="")
SMS_API_URL = env.str("SMS_API_URL", default="")
SMS_API_TOKEN = env.str("SMS_API_TOKEN", default="")

# --- Logging -----------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
