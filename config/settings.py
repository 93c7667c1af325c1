"""Kizuna settings, read from the environment.

With nothing set you get the embedded default: SQLite under var/, a local-memory
cache, Celery tasks run eagerly and email printed to the console. KIZUNA_PROFILE=prod
refuses to start with an insecure setting (see `_refuse_insecure_production`).
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KIZUNA_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PROFILE = os.environ.get("KIZUNA_PROFILE", "dev")
IS_PRODUCTION = PROFILE == "prod"
INSECURE_DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me-in-production"

SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEV_SECRET_KEY)
DEBUG = _env_bool("DEBUG", not IS_PRODUCTION)
ALLOWED_HOSTS = _env_list(
    "ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # For its export_openapi_schema command, and so /api/docs serves Swagger UI from our static
    # files instead of a CDN.
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "kizuna.core",
    "kizuna.identity",
    "kizuna.customers",
    "kizuna.spaces",
    "kizuna.activity",
    "kizuna.content",
    "kizuna.search",
    "kizuna.moderation",
    "kizuna.notifications",
    "kizuna.gamification",
    "kizuna.rewards",
    "kizuna.badges",
    "kizuna.contests",
    "kizuna.events",
    "kizuna.cohorts",
    "kizuna.crm",
    "kizuna.segments",
    "kizuna.ambassadors",
    "kizuna.plays",
    "kizuna.success",
    "kizuna.directory",
    "kizuna.home",
    "kizuna.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kizuna.core.middleware.RejectNullCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kizuna.identity.middleware.MemberPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kizuna.moderation.responses.RateLimitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "kizuna.core.context_processors.community",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'kizuna.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves a few people at once through runserver's threads. WAL lets
    # readers run beside the one writer; a transaction takes the write lock at BEGIN, so a busy
    # database makes it wait (up to `timeout` seconds) instead of failing with "database is
    # locked" when a reader turns writer mid-transaction, which SQLite cannot wait out.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # runserver starts a thread per request, so a kept connection would never be used again;
    # opening a SQLite file costs next to nothing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a plan when its estimated cost is high, which a segment count
    # or a dashboard over 100,000 members reaches: 764 ms compiling a query that runs in 100
    # (bench/segments_count.py). Short OLTP queries never gain from it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
# Periodic tasks: each app adds its own entries in its own block below.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {}

# --- notifications: periodic tasks (kizuna/notifications/tasks.py) ---
# 08:00 Asia/Tokyo is 23:00 UTC (Japan has no daylight saving time).
CELERY_BEAT_SCHEDULE["notifications-daily-digests"] = {
    "task": "kizuna.notifications.tasks.send_daily_digests",
    "schedule": crontab(hour=23, minute=0),
}
# Re-queues immediate emails and fan-outs a killed worker left undone; the period
# matches the sweep's window (tasks.EMAIL_SWEEP_AFTER).
CELERY_BEAT_SCHEDULE["notifications-sweep"] = {
    "task": "kizuna.notifications.tasks.requeue_unsent_notification_emails",
    "schedule": timedelta(minutes=10),
}
# --- end notifications ---
# Puts held content into the review queue if the write that held it died before queueing it.
CELERY_BEAT_SCHEDULE["moderation-sweep-unqueued-holds"] = {
    "task": "kizuna.moderation.tasks.sweep_unqueued_holds",
    "schedule": timedelta(minutes=10),
}

# --- badges: periodic tasks (kizuna/badges/tasks.py) ---
# Awards the automatic badges members have earned since the last sweep.
CELERY_BEAT_SCHEDULE["badges-evaluate-all"] = {
    "task": "kizuna.badges.tasks.evaluate_all_badges",
    "schedule": timedelta(hours=1),
}
# --- end badges ---

# --- search: periodic tasks (kizuna/search/tasks.py) ---
# Re-indexes posts whose indexing failed or never ran (marks older than indexing.SWEEP_AFTER).
CELERY_BEAT_SCHEDULE["search-index-pending-posts"] = {
    "task": "kizuna.search.tasks.index_pending_posts",
    "schedule": timedelta(minutes=10),
}
# --- end search ---

# --- events: periodic tasks (kizuna/events/tasks.py) ---
# Queues the day-before and hour-before reminders that are due; each is sent once (its marker).
CELERY_BEAT_SCHEDULE["events-send-due-reminders"] = {
    "task": "kizuna.events.tasks.send_due_event_reminders",
    "schedule": timedelta(minutes=5),
}
# --- end events ---

# --- plays: periodic tasks (kizuna/plays/tasks.py) ---
# Opens the community-touch plays now due, wakes snoozed ones, closes those resolved by themselves.
CELERY_BEAT_SCHEDULE["plays-evaluate-rules"] = {
    "task": "kizuna.plays.tasks.evaluate_play_rules",
    "schedule": timedelta(hours=1),
}
# --- end plays ---

# --- crm: periodic tasks (kizuna/crm/tasks.py) ---
# Queues again the CSV checks and imports a killed worker left (no worker holds the job's row
# two minutes after it was queued: kizuna.crm.work.STALL_AFTER).
CELERY_BEAT_SCHEDULE["crm-requeue-stalled-imports"] = {
    "task": "kizuna.crm.tasks.requeue_stalled_imports",
    "schedule": timedelta(minutes=2),
}
# --- end crm ---

AUTH_USER_MODEL = "identity.Member"
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
if _env_bool("KIZUNA_FAST_PASSWORD_HASHER", False):
    # Tests create hundreds of members; the production hasher would dominate their run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "kizuna.identity.adapters.MemberAccountAdapter"
ACCOUNT_FORMS = {"signup": "kizuna.identity.forms.SignupForm"}
ACCOUNT_RATE_LIMITS = (
    {}
    if _env_bool("KIZUNA_DISABLE_RATE_LIMITS", False)
    else {
        "login_failed": "10/m/ip,5/5m/key",
        "signup": "20/m/ip",
        "reset_password": "20/m/ip,5/m/key",
    }
)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = os.environ.get("STATIC_ROOT") or (VAR_DIR / "staticfiles" if IS_PRODUCTION else None)
# Outside production, WhiteNoise serves straight from the source folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kizuna <no-reply@kizuna.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The header, the emails and authenticator apps name the community; the demo's by default.
KIZUNA_COMMUNITY_NAME = os.environ.get("KIZUNA_COMMUNITY_NAME", "クラウド経費ナビ コミュニティ")
# The colour goes into the page's CSS, so only a #rrggbb value is accepted. KIZUNA_PRIMARY_COLOR is
# the name older deployments set.
KIZUNA_COMMUNITY_COLOR = os.environ.get(
    "KIZUNA_COMMUNITY_COLOR", os.environ.get("KIZUNA_PRIMARY_COLOR", "#2f5d8a")
).strip()
if not re.fullmatch(r"#[0-9a-fA-F]{6}", KIZUNA_COMMUNITY_COLOR):
    raise ImproperlyConfigured(
        f"KIZUNA_COMMUNITY_COLOR must be a colour like #2f5d8a, not {KIZUNA_COMMUNITY_COLOR!r}"
    )
KIZUNA_COMMUNITY = {"name": KIZUNA_COMMUNITY_NAME, "primary_color": KIZUNA_COMMUNITY_COLOR}
MFA_TOTP_ISSUER = KIZUNA_COMMUNITY_NAME
KIZUNA_INVITATION_TTL_DAYS = int(os.environ.get("KIZUNA_INVITATION_TTL_DAYS", "14"))
KIZUNA_SITE_URL = os.environ.get("KIZUNA_SITE_URL", "http://127.0.0.1:8000")
KIZUNA_LEADERBOARD_INCLUDES_STAFF = _env_bool("KIZUNA_LEADERBOARD_INCLUDES_STAFF", False)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


def _refuse_insecure_production() -> None:
    problems = []
    if SECRET_KEY == INSECURE_DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if DEBUG:
        problems.append("DEBUG must be off")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list the site's host names")
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append("DATABASE_URL must point at PostgreSQL")
    if not REDIS_URL:
        problems.append("REDIS_URL must be set (Celery broker and cache)")
    if EMAIL_BACKEND.endswith("console.EmailBackend"):
        problems.append("EMAIL_BACKEND must deliver mail (e.g. the SMTP backend)")
    if problems:
        raise ImproperlyConfigured("Refusing to start the prod profile: " + "; ".join(problems))


if IS_PRODUCTION:
    _refuse_insecure_production()

# --- gamification: periodic tasks (kizuna/gamification/tasks.py) ---
# Awards points for activities past the high-water mark (catches what a killed worker missed).
CELERY_BEAT_SCHEDULE["gamification-award-pending-activities"] = {
    "task": "kizuna.gamification.tasks.award_pending_activities",
    "schedule": timedelta(minutes=1),
}
# Reverses awards whose content was removed or whose like was withdrawn.
CELERY_BEAT_SCHEDULE["gamification-reverse-stale-awards"] = {
    "task": "kizuna.gamification.tasks.reverse_stale_awards",
    "schedule": timedelta(minutes=15),
}
# --- end gamification ---
