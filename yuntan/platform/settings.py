"""Django settings for the Yuntan platform, read from the environment (see env.py).

Every variable and its default is listed in ``yuntan.platform.env.SETTINGS`` and in
``docs/configuration.md``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from yuntan.platform.env import (
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_time_zone,
    private_sqlite_file,
    secret_key_in,
)

# Lets generic Django classes be subscripted at run time (admin.ModelAdmin[Model]) for mypy.
django_stubs_ext.monkeypatch()

PLATFORM_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PLATFORM_DIR.parent.parent

DATA_DIR = Path(env_str("YUNTAN_DATA_DIR", default=str(CHECKOUT_DIR / ".var"))).resolve()
# Owner-only: the database, the secret key, signing keys and uploads live here.
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)

SECRET_KEY = env_str("YUNTAN_SECRET_KEY", default="") or secret_key_in(DATA_DIR)
DEBUG = env_bool("YUNTAN_DEBUG")
ALLOWED_HOSTS = env_list("YUNTAN_ALLOWED_HOSTS")

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'yuntan.sqlite3'}")
    )
}
private_sqlite_file(DATABASES["default"])
# Keep connections between requests (with a health check before reuse).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("YUNTAN_DB_CONN_MAX_AGE")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # ninja serves its OpenAPI docs UI from staticfiles when listed here, not from a CDN.
    "ninja",
    "django_htmx",
    "axes",
    "yuntan.platform.front",
    "yuntan.platform.accounts",
    "yuntan.platform.factors",
    "yuntan.platform.jobs",
    "yuntan.platform.studies",
    "yuntan.platform.checkdata",
    "yuntan.platform.lci",
    "yuntan.platform.ledger",
    "yuntan.platform.verification",
    "yuntan.platform.labels",
    "yuntan.platform.exchange",
    "yuntan.platform.rulepacks",
]

MIDDLEWARE = [
    # First: the request id is in every log line written while the request is served.
    "yuntan.platform.front.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # First of ours: a body larger than any upload is refused before anything reads it.
    "yuntan.platform.front.middleware.request_size_limit",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before common: the language picked with the switch, else Chinese.
    "yuntan.platform.front.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A job over the organisation's quota: a clear page, not a 500.
    "yuntan.platform.jobs.quota.QuotaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: answers a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yuntan.platform.urls"

# Logs go to standard error with the request id of the request being served (front
# .middleware): "Internal Server Error: /path" with its traceback, whatever YUNTAN_DEBUG is.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "yuntan.platform.front.middleware.RequestIdFilter"}},
    "formatters": {"plain": {
        "format": "%(asctime)s %(levelname)s [request %(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # Django's own default sends server errors only to mail_admins when DEBUG is off.
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}
WSGI_APPLICATION = "yuntan.platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PLATFORM_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yuntan.platform.accounts.context.role",
            ],
        },
    },
]

# Sign-in throttling (django-axes): after YUNTAN_LOGIN_FAILURE_LIMIT failures an account,
# and separately an address, is locked for YUNTAN_LOGIN_LOCKOUT_MINUTES. The address is the
# connection's (REMOTE_ADDR): a client-sent X-Forwarded-For cannot dodge the count. Unknown
# user names cost the same as known ones: ModelBackend runs the password hasher for them too.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("YUNTAN_LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = timedelta(minutes=env_int("YUNTAN_LOGIN_LOCKOUT_MINUTES"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured(
        f"YUNTAN_LOGIN_FAILURE_LIMIT={AXES_FAILURE_LIMIT} must be at least 1.")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
LANGUAGE_CODE = env_choice("YUNTAN_LANGUAGE", tuple(code for code, _name in LANGUAGES))
LOCALE_PATHS = [PLATFORM_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_time_zone("YUNTAN_TIME_ZONE")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# The vendored CJK font (SIL OFL), served to browsers without a Chinese font of their own.
STATICFILES_DIRS = [("fonts", PLATFORM_DIR.parent / "data" / "fonts")]

# Evidence files of studies (yuntan.platform.studies.evidence).
YUNTAN_EVIDENCE_MAX_MB = env_int("YUNTAN_EVIDENCE_MAX_MB")
EVIDENCE_DIR = DATA_DIR / "evidence"
# Background LCI database packages (yuntan.platform.lci).
YUNTAN_UPLOAD_MAX_MB = env_int("YUNTAN_UPLOAD_MAX_MB")
# Filled data-collection templates (.xlsx) uploaded to a study or a rule pack's checker.
YUNTAN_WORKBOOK_MAX_MB = env_int("YUNTAN_WORKBOOK_MAX_MB")
# No request body may be larger than the largest upload (plus 1 MB for the form around it).
YUNTAN_REQUEST_MAX_BYTES = (max(YUNTAN_UPLOAD_MAX_MB, YUNTAN_EVIDENCE_MAX_MB) + 1) * 1024 * 1024

# Ledger checkpoints signed in-process and exported as files (yuntan.platform.ledger).
YUNTAN_LEDGER_CHECKPOINT_EVERY = env_int("YUNTAN_LEDGER_CHECKPOINT_EVERY")
YUNTAN_LEDGER_CHECKPOINT_SECONDS = env_int("YUNTAN_LEDGER_CHECKPOINT_SECONDS")
YUNTAN_LEDGER_CHECKPOINTS_DIR = Path(
    env_str("YUNTAN_LEDGER_CHECKPOINTS_DIR") or str(DATA_DIR / "ledger-checkpoints"))

# Passphrase of the private signing keys (labels, ledger checkpoints); empty: unencrypted.
YUNTAN_KEY_PASSPHRASE = env_str("YUNTAN_KEY_PASSPHRASE")

# PACT exchange (yuntan.platform.exchange): HTTPS only; a proxy's X-Forwarded-Proto when
# trusted; extra CAs for calling other hosts.
YUNTAN_PACT_REQUIRE_HTTPS = env_bool("YUNTAN_PACT_REQUIRE_HTTPS")
YUNTAN_PACT_CA_FILE = env_str("YUNTAN_PACT_CA_FILE")
# Suppliers' PACT hosts: public HTTPS hosts on port 443 only unless this allows others.
YUNTAN_PACT_ALLOW_PRIVATE_HOSTS = env_bool("YUNTAN_PACT_ALLOW_PRIVATE_HOSTS")
# Events a PACT customer may post per minute (the inbox, /2/events and /3/events).
YUNTAN_PACT_EVENTS_PER_MINUTE = env_int("YUNTAN_PACT_EVENTS_PER_MINUTE")
if env_bool("YUNTAN_TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env_bool("YUNTAN_TRUST_X_FORWARDED_HOST")

# HTTPS deployment (docs/configuration.md, "Production"): all off for the local demo over HTTP.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = \
    env_bool("YUNTAN_SECURE_COOKIES")
SECURE_SSL_REDIRECT = env_bool("YUNTAN_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env_int("YUNTAN_HSTS_SECONDS")
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("YUNTAN_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("YUNTAN_HSTS_PRELOAD")
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured(f"YUNTAN_HSTS_SECONDS={SECURE_HSTS_SECONDS} must be 0 or more.")

# Notification mail (yuntan.platform.verification.notify); none without a host.
EMAIL_HOST = env_str("YUNTAN_EMAIL_HOST")
EMAIL_PORT = env_int("YUNTAN_EMAIL_PORT")
DEFAULT_FROM_EMAIL = env_str("YUNTAN_EMAIL_FROM")

# Background jobs (yuntan.platform.jobs.runner).
YUNTAN_JOBS_BACKEND = env_choice("YUNTAN_JOBS_BACKEND", ("thread", "inline", "dask"))
YUNTAN_JOB_WORKERS = env_int("YUNTAN_JOB_WORKERS")
YUNTAN_DASK_SCHEDULER = env_str("YUNTAN_DASK_SCHEDULER")
# Quotas: jobs an organisation's people may have queued or running at once, and the size
# of one Monte Carlo run.
YUNTAN_JOBS_MAX_PER_ORGANISATION = env_int("YUNTAN_JOBS_MAX_PER_ORGANISATION")
YUNTAN_MONTE_CARLO_MAX_ITERATIONS = env_int("YUNTAN_MONTE_CARLO_MAX_ITERATIONS")
if YUNTAN_JOB_WORKERS < 1:
    raise ImproperlyConfigured(f"YUNTAN_JOB_WORKERS={YUNTAN_JOB_WORKERS} must be at least 1.")
if YUNTAN_JOBS_BACKEND == "dask" and not YUNTAN_DASK_SCHEDULER:
    raise ImproperlyConfigured(
        "YUNTAN_JOBS_BACKEND=dask needs YUNTAN_DASK_SCHEDULER (e.g. tcp://127.0.0.1:8786)."
    )
