"""Settings for Growth Matrix, read from the environment (see README, Configuration)."""

from datetime import timedelta
from pathlib import Path
from zoneinfo import available_timezones

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from growthmatrix.env import env_bool, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random value in production, "
            "or DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Sign-in with an organization's Google or Microsoft account, and two-factor; the OpenID
    # Connect provider itself is signin's (signin/provider.py).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    # The read API's docs page: with the app installed, django-ninja serves Swagger UI from
    # its own static files instead of a CDN (the CSP allows only this site's scripts).
    "ninja",
    "coordinators",
    "signin",
    "rubrics",
    "assessments",
    "growth",
    "evidence",
    "schoolsites",
    "dashboards",
    "api",
    "growthmatrix",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "growthmatrix.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "signin.enforcement.TwoFactorDueMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "growthmatrix.urls"
WSGI_APPLICATION = "growthmatrix.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "growthmatrix.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Ten minutes: every new connection is a new PostgreSQL process, which reads its
        # catalogues and prepares its statements again (12–16 ms more on the next move).
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
# The reads made on every request run as statements prepared once per PostgreSQL session
# (coordinators/prepared.py); off behind a pooler that shares sessions between clients.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", default=True)
if DATABASE_PREPARED_STATEMENTS and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Those statements look rows up by id: planned once, for any id, from their first run
    # (PostgreSQL otherwise plans each of a session's first five runs again). Only prepared
    # statements have a plan to keep, so no other query is planned differently.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c plan_cache_mode=force_generic_plan"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "coordinators.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "growthmatrix.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/Los_Angeles")
if TIME_ZONE not in available_timezones():
    raise ImproperlyConfigured(f"TIME_ZONE={TIME_ZONE!r} is not a known time zone name.")
USE_I18N = True
USE_TZ = True
# Every date and time in one format ("3 Sep 2026"), growthmatrix/formats/en/formats.py.
FORMAT_MODULE_PATH = ["growthmatrix.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Private files (exports now; every file a person uploads later): never served by URL, only
# through views that check who asks. The filesystem under PRIVATE_FILES_ROOT by default; any
# S3-compatible store when PRIVATE_FILES_BUCKET is set, so every server reaches the same files.
PRIVATE_FILES_BUCKET = env_str("PRIVATE_FILES_BUCKET", "")
if PRIVATE_FILES_BUCKET:
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PRIVATE_FILES_BUCKET,
            "endpoint_url": env_str("PRIVATE_FILES_ENDPOINT_URL", "") or None,
            "region_name": env_str("PRIVATE_FILES_REGION", "") or None,
            "access_key": env_str("PRIVATE_FILES_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("PRIVATE_FILES_SECRET_ACCESS_KEY", "") or None,
            "default_acl": "private",
            "signature_version": "s3v4",
            "file_overwrite": False,
            # Downloads are redirects to signed addresses that stop working this soon.
            "querystring_auth": True,
            "querystring_expire": env_int("PRIVATE_FILES_URL_SECONDS", 60, minimum=1),
        },
    }
else:
    STORAGES["private"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env_str("PRIVATE_FILES_ROOT", str(BASE_DIR / "private-files")),
            "base_url": None,
            "directory_permissions_mode": 0o700,
            "file_permissions_mode": 0o600,
        },
    }

# Evidence files people attach to their ratings and reviews, kept in the private storage:
# the largest file, the most one assessment may hold, and each organization's quota (the
# Django admin may give one organization another quota).
EVIDENCE_FILE_MAX_MB = env_int("EVIDENCE_FILE_MAX_MB", 10, minimum=1)
EVIDENCE_ASSESSMENT_MAX_MB = env_int("EVIDENCE_ASSESSMENT_MAX_MB", 50, minimum=1)
EVIDENCE_ORG_QUOTA_MB = env_int("EVIDENCE_ORG_QUOTA_MB", 2048, minimum=1)

# Dashboard exports of more rows than this are built by a background task (a page shows
# their progress and an email says when they are ready); smaller ones answer at once.
EXPORT_QUEUE_ROWS = env_int("EXPORT_QUEUE_ROWS", 500, minimum=1)
# Export files and their records are deleted by `manage.py exports_expire` after this long.
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 7, minimum=1)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console by default; EMAIL_HOST switches to SMTP.
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Growth Matrix <growth-matrix@localhost>")
# Absolute links in emails, e.g. https://growth.example.org
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Cache shared by every application server when REDIS_URL is set. Sessions then are read from
# it and written through to the database, which stays their record (a logout on one server is
# seen by every other). Without Redis each server caches only what never changes (a published
# rubric's words) and sessions are read from the database.
REDIS_URL = env_str("REDIS_URL", "")
SESSION_ENGINE = "growthmatrix.sessions"  # the database's, read with SQL written once
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "growthmatrix.cache.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background work: "immediate" runs tasks inside the request (development, tests);
# "database" queues them for `python manage.py db_worker` (production, several servers).
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
if TASKS_BACKEND not in {"immediate", "database"}:
    raise ImproperlyConfigured(f"TASKS_BACKEND={TASKS_BACKEND!r} must be immediate or database.")
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TASKS_BACKEND == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}

# How often one person, address or client may repeat an action (coordinators/ratelimits.py),
# as django-ratelimit rates ("count/period", period s, m, h or d). The counters live in the
# default cache: Redis when REDIS_URL is set, so every server shares them.
RATE_LIMITS = {
    # Matrix and review saves per person: far above typing (one background save every
    # 1.5 s at most), far below a script.
    "assessment-save": env_rate("RATE_LIMIT_SAVES", "90/m"),
    # Password-reset emails per address and per client.
    "password-reset-address": env_rate("RATE_LIMIT_RESET_ADDRESS", "3/h"),
    "password-reset-client": env_rate("RATE_LIMIT_RESET_CLIENT", "20/h"),
    # Email addresses an admin may have refused (already in use) before waiting.
    "address-refusals": env_rate("RATE_LIMIT_ADDRESS_REFUSALS", "10/h"),
    # Pages opened with a link instead of an account (coordinators/public_tokens.py), per
    # client address: a principal answers in a handful of requests; guessing needs millions.
    "public-token": env_rate("RATE_LIMIT_PUBLIC_TOKEN", "60/h"),
    # Looking up an email's organization sign-in on the login page, per client address.
    "signin-lookup": env_rate("RATE_LIMIT_SIGNIN_LOOKUP", "30/h"),
    # Read API requests per token.
    "api-token": env_rate("RATE_LIMIT_API_TOKEN", "600/m"),
}

# Login throttling: a locked account-and-address pair waits AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)

# django-allauth: nobody signs up; people log in with their email address (the login page is
# growthmatrix's own) or their organization's OpenID Connect provider (signin/adapters.py).
ACCOUNT_ADAPTER = "signin.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "signin.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("SIGNIN_PROVIDER_TIMEOUT", 10, minimum=1)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Growth Matrix")
# The key client secrets are encrypted with in the database; SECRET_KEY's derivative without
# it. A secret in SIGNIN_SECRET_<PROVIDER> is used instead and never stored.
SIGNIN_SECRETS_KEY = env_str("SIGNIN_SECRETS_KEY", "")

# Content-Security-Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 10, minimum=60)
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "growthmatrix.views.csrf_failure"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
