"""ITA Portal settings: one file, every deployment difference read from the environment.

Variables are documented in .env.example. A `.env` file in the project root (or the file
ITA_ENV_FILE names) is read with python-dotenv for values the environment does not set: the
environment always wins. Any string variable may instead be given as NAME_FILE, the path of a
file holding the value (Docker and systemd secrets): SECRET_KEY_FILE, DATABASE_URL_FILE,
EMAIL_HOST_PASSWORD_FILE, BACKUP_KEY_FILE...
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# No interpolation: a secret may hold a "$".
load_dotenv(
    Path(os.environ.get("ITA_ENV_FILE", BASE_DIR / ".env")), override=False, interpolate=False
)


def env_str(name: str, default: str = "") -> str:
    """Return a string variable (or the content of the file NAME_FILE names), else default."""
    value, path = os.environ.get(name, ""), os.environ.get(f"{name}_FILE", "")
    if value and path:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    if path:
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(
                f"{name}_FILE={path!r} cannot be read: {error.strerror}."
            ) from None
        if not value:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} is empty.")
    return value or default


def env_bool(name: str, default: bool = False) -> bool:
    """Return a boolean variable; refuse anything but 1/0/true/false/yes/no/on/off."""
    raw = env_str(name).strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1 or 0)")


def env_int(name: str, default: int) -> int:
    """Return an integer variable; refuse a value that is not a whole number."""
    raw = env_str(name).strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None


def env_list(name: str, default: str = "") -> list[str]:
    """Return a comma-separated variable as a list of non-empty items."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ita_portal.apps.PortalAdminConfig",  # django.contrib.admin, for superusers and stewards
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ita_portal",
    "accounts",
    "assessments",
    "imports",
    "measures",
    "reports",
    "notifications",
    "jobs",
    "oit",
    "surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ita_portal.middleware.SecurityHeadersMiddleware",
    # Thai unless the user chose English with the switch (in place of LocaleMiddleware).
    "ita_portal.middleware.ThaiFirstLanguageMiddleware",
    "ita_portal.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ita_portal.urls"
WSGI_APPLICATION = "ita_portal.wsgi.application"

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
            ],
            "builtins": ["ita_portal.templatetags.thai", "ita_portal.templatetags.ui"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        # A kept connection is tested before each request reuses it (after a database restart).
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Django's validators, saying what they say in the portal's words (Thai in locale/).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator"},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection: lock a username+IP pair, never a whole proxy's IP.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client address comes from REMOTE_ADDR, or from X-Forwarded-For written by the
# PROXY_COUNT trusted proxies in front of the portal (never from what a client claims).
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "ita_portal.security.client_ip"

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Media (evidence files) is never served as public static content: views check permissions.
MEDIA_URL = "media/"
# Where `manage.py backup` writes its archives by default (docs/operations.md).
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "backups")))
# Signs each archive's manifest (HMAC); a restore refuses archives this key did not sign.
# Empty: derived from SECRET_KEY. Set it (the same on the restore machine) so that archives
# outlive a change of SECRET_KEY.
BACKUP_KEY = env_str("BACKUP_KEY")

# Upload limits (bytes). Spreadsheet imports and evidence files each have their own cap.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 10) * 1024 * 1024
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 500_000)
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 20) * 1024 * 1024
# Form fields of one request (Django refuses more, 400); files above FILE_UPLOAD_MAX_MEMORY_SIZE
# are spooled to a temporary file instead of memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Whole request bodies, checked from Content-Length before anything reads them
# (ita_portal.middleware.RequestBodyLimitMiddleware): every view takes at most
# REQUEST_BODY_MAX_BYTES; the upload views take their file cap and 1 MB for the form around it.
# nginx's client_max_body_size must stay above the largest (docs/operations.md).
_FORM_MARGIN = 1024 * 1024
REQUEST_BODY_MAX_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE + _FORM_MARGIN
REQUEST_BODY_LIMITS = {
    "imports:upload": IMPORT_MAX_BYTES + _FORM_MARGIN,
    "admin:*_import": IMPORT_MAX_BYTES + _FORM_MARGIN,
    "measures:evidence_add": EVIDENCE_MAX_BYTES + _FORM_MARGIN,
    "oit:file_add": EVIDENCE_MAX_BYTES + _FORM_MARGIN,
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ita-portal@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Who gets a mail with the traceback of every server error (500) when DEBUG is off (Django's
# default logging of "django" mails ADMINS; LOGGING below keeps it).
ADMINS = [(address, address) for address in env_list("ADMINS")]
# The portal's own address, for the links in e-mails (no trailing slash).
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")

# Background tasks (notification e-mails): django-tasks. "database" queues them for the worker
# (`manage.py db_worker`, `make worker`); "immediate" runs them at once, so nothing else must run
# (the default with DEBUG=1, hence in tests and `make run`).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = env_str("TASKS_BACKEND", "immediate" if DEBUG else "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND={_task_backend!r}: use database or immediate")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}

# The OIT link checker (oit/linkcheck.py, `manage.py check_oit_links`): seconds per request,
# redirects followed, an outbound proxy (http://host:port; empty: direct), and whether the URLs
# users typed may reach private, loopback or link-local addresses (off: refused, against SSRF).
OIT_LINKCHECK_TIMEOUT = env_int("OIT_LINKCHECK_TIMEOUT", 10)
OIT_LINKCHECK_MAX_REDIRECTS = env_int("OIT_LINKCHECK_MAX_REDIRECTS", 5)
OIT_LINKCHECK_PROXY = env_str("OIT_LINKCHECK_PROXY")
OIT_LINKCHECK_ALLOW_PRIVATE = env_bool("OIT_LINKCHECK_ALLOW_PRIVATE", False)

IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# The admin's import and export ask for the model's change and view permissions (without
# these settings django-import-export lets anyone who opens the model import into it).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True

# The cache every worker and app server shares (rendered reports, computed results): a table in
# the database by default, so nothing else must run; Redis when CACHE_URL=redis://host:6379/0
# (several app servers). locmem:// keeps one copy per process (a single-process development).
_cache_url = env_str("CACHE_URL")
if _cache_url.startswith(("redis://", "rediss://", "unix://")):
    _default_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache"}
    _default_cache["LOCATION"] = _cache_url
elif _cache_url == "locmem://":
    _default_cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
elif not _cache_url:
    _default_cache = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ita_cache",
        # A national summary PDF is ~100 kB: 5,000 of them are 0.5 GB of table.
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
    }
else:
    raise ImproperlyConfigured(f"CACHE_URL={_cache_url!r}: use redis://…, locmem:// or nothing")
CACHES = {
    "default": _default_cache,
    # Counters every worker must share (password-reset throttle): a table in the database,
    # made by `manage.py createcachetable` (make run, make serve; the test runner makes it).
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ita_throttle",
    },
}
# Pages kept in that cache while the data they show is unchanged (ita_portal.pages); 0 renders
# every request afresh (the tests that count a render's queries turn it off).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# Password reset e-mails: at most this many per address, and per client address, an hour.
PASSWORD_RESET_PER_EMAIL = env_int("PASSWORD_RESET_PER_EMAIL", 3)
PASSWORD_RESET_PER_IP = env_int("PASSWORD_RESET_PER_IP", 10)

# Self-assessment surveys (surveys): a unit's results are never shown below this many
# respondents; new answer forms per link a minute, and per link and client address an hour
# (counted in the shared `throttle` cache); drafts left this many days are deleted.
SURVEY_MIN_RESPONDENTS = env_int("SURVEY_MIN_RESPONDENTS", 5)
SURVEY_STARTS_PER_LINK_PER_MINUTE = env_int("SURVEY_STARTS_PER_LINK_PER_MINUTE", 60)
SURVEY_STARTS_PER_CLIENT_PER_HOUR = env_int("SURVEY_STARTS_PER_CLIENT_PER_HOUR", 120)
SURVEY_DRAFT_DAYS = env_int("SURVEY_DRAFT_DAYS", 14)

# Security headers; HTTPS is terminated by the reverse proxy in production (docs/operations.md).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 10) * 3600
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy (ita_portal.middleware; Django 6.0's setting shape): only the portal's
# own files; no inline script, no <style> elements, no plugins, no framing. Style *attributes*
# are allowed: progress bars and table column widths are data-driven and shared with the PDF
# templates (docs/decisions.md). Bootstrap's CSS draws its icons as data: images.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Browser features the portal never uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
}
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks come from the load balancer over plain HTTP on the loopback.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO: keep the PDF reports out of the log.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
