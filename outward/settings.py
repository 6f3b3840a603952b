"""Outward's one settings module. Everything a deployment changes comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    """A setting from the environment, or from the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(env(name, str(default)))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# The default exists so that development and tests start with nothing set; the system check
# in outward.checks refuses to run production (DEBUG off) with it.
INSECURE_DEFAULT_SECRET_KEY = "outward-insecure-development-key-do-not-use-in-production"
SECRET_KEY = env("OUTWARD_SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
DEBUG = env_bool("OUTWARD_DEBUG")
# `outward demo`: a local, single-person server over plain http, with the development key, but
# without debug pages (a debug 404 lists every URL pattern). Never for a real deployment.
DEMO = env_bool("OUTWARD_DEMO")
LOCAL = DEBUG or DEMO
ALLOWED_HOSTS = env_list("OUTWARD_ALLOWED_HOSTS", "127.0.0.1,localhost" if LOCAL else "")
CSRF_TRUSTED_ORIGINS = env_list("OUTWARD_CSRF_TRUSTED_ORIGINS")

# Public address for links in e-mails sent without a request (reminders).
SITE_URL = env("OUTWARD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

DATA_DIR = Path(env("OUTWARD_DATA_DIR", str(BASE_DIR.parent / "var")))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "outward.accounts",
    "outward.care",
    "outward.goals",
    "outward.journal",
    "outward.measures",
    "outward.community",
    "outward.skills",
    "outward.reports",
    "outward",
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "outward.middleware.SecurityHeadersMiddleware",
    "outward.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Picks a language from the browser's when there is more than one (LANGUAGES above).
    *(["django.middleware.locale.LocaleMiddleware"] if len(LANGUAGES) > 1 else []),
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "outward.accounts.middleware.SessionSafetyMiddleware",
    "outward.care.middleware.PracticeRoleMiddleware",
    "outward.accounts.middleware.CreateOnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# The largest request body accepted, checked before it is read (uploads included). The
# largest upload, a community-directory import, may be 5 MB.
MAX_REQUEST_BYTES = env_int("OUTWARD_MAX_REQUEST_MB", 8) * 1024 * 1024

ROOT_URLCONF = "outward.urls"
WSGI_APPLICATION = "outward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "outward.care.context_processors.roles",
                "outward.accounts.context_processors.session",
            ],
            # `{% url %}` and `{% static %}` that remember their answers (every page's frame
            # asks for the same ones on every request): the same tags, in every template.
            "builtins": ["outward.lib.templatetags.remembered"],
            # Filters for text people write (lib has no models, so it is not an app).
            "libraries": {
                "text": "outward.lib.templatetags.text",
                "when": "outward.lib.templatetags.when",
                "money": "outward.lib.templatetags.money",
            },
        },
    }
]

# SQLite (WAL) by default so `outward demo` needs nothing installed; PostgreSQL via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'outward.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Connections are kept, as on PostgreSQL (conn_max_age above): opening one runs the
    # PRAGMAs below and registers Django's SQL functions, a sixth of a small request's time.
    # `outward restore` writes into the same file (SQLite's backup API), which kept
    # connections see.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # A writer waits up to 20 s for the write lock (Python's default is 5 s), inside
        # gunicorn's 30 s: a burst of writers queues instead of failing "database is locked".
        "timeout": 20,
    }
    # Tests use a file, not SQLite's shared-cache memory database: there, concurrent writers
    # fail with "table is locked" at once instead of waiting their turn as they do in
    # production, and the concurrency tests (login throttle, audit chain) need the real thing.
    DATABASES["default"]["TEST"] = {
        "NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3"),
    }
# Where `outward backup` and `outward restore` find pg_dump, pg_restore and psql for
# PostgreSQL (of the server's major version); empty: on PATH.
POSTGRES_BIN_DIR = env("OUTWARD_PG_BIN")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's model backend, with a cheaper read of a session's user (on every request).
AUTHENTICATION_BACKENDS = ["outward.accounts.backends.UserBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = env_int("OUTWARD_PASSWORD_RESET_SECONDS", 60 * 60 * 24)

# Login throttling: failures counted in a sliding window, per account and per address.
LOGIN_THROTTLE_WINDOW_SECONDS = env_int("OUTWARD_LOGIN_THROTTLE_WINDOW_SECONDS", 15 * 60)
LOGIN_THROTTLE_PER_ACCOUNT = env_int("OUTWARD_LOGIN_THROTTLE_PER_ACCOUNT", 5)
LOGIN_THROTTLE_PER_IP = env_int("OUTWARD_LOGIN_THROTTLE_PER_IP", 20)
# Password-reset e-mails: at most so many per address, and per address of origin, an hour.
PASSWORD_RESET_THROTTLE_WINDOW_SECONDS = env_int("OUTWARD_PASSWORD_RESET_WINDOW_SECONDS", 60 * 60)
PASSWORD_RESET_THROTTLE_PER_ADDRESS = env_int("OUTWARD_PASSWORD_RESET_PER_ADDRESS", 3)
PASSWORD_RESET_THROTTLE_PER_IP = env_int("OUTWARD_PASSWORD_RESET_PER_IP", 10)
# Behind a reverse proxy, the client's address is the last hop it appends to X-Forwarded-For.
TRUST_X_FORWARDED_FOR = env_bool("OUTWARD_TRUST_X_FORWARDED_FOR")

INVITATION_VALID_DAYS = env_int("OUTWARD_INVITATION_VALID_DAYS", 7)

# Django's database sessions (in accounts.Session), read with the person and who they are to a
# practice in one statement on each request (care.sessions, built on accounts.sessions).
# django.contrib.sessions stays installed: the move of its rows (accounts 0006) reads its table.
SESSION_ENGINE = "outward.care.sessions"
# Sessions end after this much inactivity. A request renews the stored session at most once
# a minute (accounts.middleware.session_renew), not on every page view: reading a page
# writes nothing to the database.
SESSION_COOKIE_AGE = env_int("OUTWARD_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
# …and at the latest this long after signing in, however active (accounts.middleware).
SESSION_MAX_HOURS = env_int("OUTWARD_SESSION_MAX_HOURS", 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not LOCAL:
    SESSION_COOKIE_SECURE = env_bool("OUTWARD_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("OUTWARD_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("OUTWARD_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# No inline script or style anywhere: every page passes this policy.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

USE_TZ = True
TIME_ZONE = env("OUTWARD_TIME_ZONE", "UTC")

# Costs of groups and clients' budgets are shown in this currency (ISO 4217 code).
CURRENCY = env("OUTWARD_CURRENCY", "GBP").upper()

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Production serves hashed, compressed files collected by `outward serve`; development and
# tests serve straight from the apps' static folders.
STATIC_MANIFEST = env_bool("OUTWARD_STATIC_MANIFEST", not LOCAL)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
# Look for files on each request where they are served from the apps' folders (there is no
# collected STATIC_ROOT to scan at start-up then).
WHITENOISE_AUTOREFRESH = LOCAL

# Console e-mail unless an SMTP host is configured.
if env("OUTWARD_EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("OUTWARD_EMAIL_HOST"),
                "port": env_int("OUTWARD_EMAIL_PORT", 587),
                "username": env("OUTWARD_EMAIL_USER"),
                "password": env("OUTWARD_EMAIL_PASSWORD"),
                "use_tls": env_bool("OUTWARD_EMAIL_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("OUTWARD_FROM_EMAIL", "Outward <no-reply@outward.invalid>")

# Background work (reminder e-mails) through Django's tasks API, stored in the database and
# run by `outward db_worker`; tests run tasks at once.
# Risk-alert e-mails have a queue of their own, so that a long feed refresh or import on the
# default queue never delays them: run a worker for each (README, "Commands").
ALERT_TASK_QUEUE = "alerts"
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if env_bool("OUTWARD_TASKS_IMMEDIATE")
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", ALERT_TASK_QUEUE],
    }
}

OTP_TOTP_ISSUER = env("OUTWARD_TOTP_ISSUER", "Outward")

# The online geocoder for directory entries without coordinates: off unless a Nominatim
# server is configured (e.g. https://nominatim.example.org, one the deployment may use). It
# runs in the task worker, one request a second, each address once; only a directory
# entry's public address and postcode are sent, never anything about a client.
OUTWARD_GEOCODER_URL = env("OUTWARD_GEOCODER_URL").rstrip("/")
OUTWARD_GEOCODER_USER_AGENT = env("OUTWARD_GEOCODER_USER_AGENT", "Outward directory geocoder")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("OUTWARD_LOG_LEVEL", "INFO")},
    # WeasyPrint logs each step of every PDF it renders at INFO; its warnings still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
