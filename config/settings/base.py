"""Settings for every environment, read from environment variables.

The defaults give the embedded mode: SQLite, Celery tasks run inline, a
local-memory cache. Setting DATABASE_URL and REDIS_URL moves to PostgreSQL and
a real broker without touching code.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def envbool(name: str, default: str = "False") -> bool:
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


# A fixed key is safe only for the local embedded mode; production.py refuses it.
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-local-development-key")
DEBUG = envbool("DEBUG", "True")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "forecasts",
    "tournaments",
    "discussion",
    "proposals",
]

MIDDLEWARE = [
    "config.middleware.BodySizeLimitMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivateApiResponsesMiddleware",
    "config.middleware.VisitorTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Only this site's own files run or style a page: no inline script or style,
# no plugins, no framing. The admin and the API docs (Swagger UI split view,
# its inline style moved to a file) need nothing more.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Links to other sites carry no path (question slugs, usernames, reset tokens).
SECURE_REFERRER_POLICY = os.environ.get("SECURE_REFERRER_POLICY", "same-origin")

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", "0"),
        # A kept connection that died with a database restart is replaced at
        # the next request, not reused to fail it.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    options = DATABASES["default"].setdefault("OPTIONS", {})
    if not envbool("DB_JIT", "0"):
        # PostgreSQL compiles a query whose estimated cost is high
        # (jit_above_cost) before running it: 160-190 ms on calibration's join
        # of 100,000 scores to their entries, more than the query itself.
        options["options"] = "-c jit=off"
    # A web process keeps its connection (opening one costs PostgreSQL a
    # process per request); the health check replaces one that died.
    DATABASES["default"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", "600")
    if envbool("DB_PREPARED_STATEMENTS", "1"):
        # Parameters sent apart from the SQL, and a statement a connection
        # has run 5 times kept prepared: PostgreSQL then skips parsing and
        # (where its generic plan is as cheap) planning. Planning was most of
        # PostgreSQL's time on a forecast write: 2.0 -> 0.8 ms of its CPU per
        # request, throughput 0.40x -> 0.51x the bare endpoint (BENCHMARKS.md).
        # Off (0) behind a pooler that cannot keep prepared statements, such
        # as PgBouncer before 1.21 in transaction mode.
        options["server_side_binding"] = True
        options["prepare_threshold"] = 5
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time and no row locks, so lock_head's
    # SELECT … FOR UPDATE does nothing there. A deferred transaction reads
    # first and asks for the write lock later; when two do so at once, SQLite
    # fails one with "database is locked" at once rather than make it wait
    # (109-125 of 160 concurrent forecasts failed so). IMMEDIATE takes the
    # write lock at BEGIN, so each writer of the ledger waits its turn (up to
    # `timeout` seconds, SQLite's busy timeout) and then reads the head under
    # the lock; WAL lets readers go on during a write. synchronous stays FULL:
    # an acknowledged forecast survives a power cut.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": envint("SQLITE_BUSY_TIMEOUT", "30"),
            "init_command": "PRAGMA journal_mode=WAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Django 6's default for URL form fields, adopted now.
FORMS_URLFIELD_ASSUME_HTTPS = True
STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds to connect to Redis or wait for an answer: a dead Redis costs a
# request this much at most, then the cache misses and the task is left to
# score_pending.
REDIS_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_TIMEOUTS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# With no broker, tasks run inline in the request that queued them.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# No caller reads a task's return value; storing none spares Redis a key per
# task and each web process a result subscription per queued task.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", "3600"),
    **REDIS_TIMEOUTS,
}
CELERY_TIMEZONE = "UTC"
# Beat's own record of when each entry last ran; only the one beat reads it.
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / "celerybeat-schedule")
)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "forecasts@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
# A mail server that hangs must not hold a worker for ever.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "30")
# For the file-based backend only (EMAIL_BACKEND=…filebased.EmailBackend).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or None
# Links in e-mails are absolute: a task has no request to take the host from.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Token first, so an anonymous write gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["forecasts.api.parsers.StrictJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "forecasts.api.pagination.PageNumberPagination",
    "PAGE_SIZE": envint("API_PAGE_SIZE", "50"),
    "EXCEPTION_HANDLER": "forecasts.api.errors.exception_handler",
    # OPTIONS would describe a serializer the views do not declare: 405 instead.
    "DEFAULT_METADATA_CLASS": None,
    # Behind N reverse proxies, the client address is the N-th from the right
    # of X-Forwarded-For; with 0 it is REMOTE_ADDR and the header is ignored.
    "NUM_PROXIES": envint("NUM_PROXIES", "0"),
    "DEFAULT_THROTTLE_RATES": {
        "signup": os.environ.get("THROTTLE_SIGNUP_RATE", "20/hour"),
        "token": os.environ.get("THROTTLE_TOKEN_RATE", "10/min"),
        "forecast": os.environ.get("THROTTLE_FORECAST_RATE", "120/min"),
        # The site's reset form, per client address and per e-mail address.
        "password_reset": os.environ.get("THROTTLE_PASSWORD_RESET_RATE", "5/hour"),
        "comment": os.environ.get("THROTTLE_COMMENT_RATE", "10/min"),
        "proposal": os.environ.get("THROTTLE_PROPOSAL_RATE", "5/day"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Forecast Ledger API",
    "DESCRIPTION": (
        "Forecast questions, resolve them, read scores and calibration. "
        "Probabilities are fractions in 0..1. Authenticate with "
        "`Authorization: Token <token>` from POST /api/auth/token/."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "PATH_CONVERTER_OVERRIDES": {
        "slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Forecast Ledger's own settings.
COMMUNITY_STEP_SECONDS = envint("COMMUNITY_STEP_SECONDS", "3600")
COMMUNITY_GRACE_SECONDS = envint("COMMUNITY_GRACE_SECONDS", "60")
CELERY_BEAT_SCHEDULE = {
    "freeze-closed-questions": {
        "task": "forecasts.tasks.freeze_closed_questions_task",
        "schedule": envint("FREEZE_CLOSED_EVERY_SECONDS", "60"),
    },
    "extend-community-series": {
        "task": "forecasts.tasks.extend_community_series_task",
        "schedule": envint("COMMUNITY_SNAPSHOT_EVERY_SECONDS", "300"),
    },
    "score-pending": {
        "task": "forecasts.tasks.score_pending",
        "schedule": envint("SCORE_PENDING_EVERY_SECONDS", "300"),
    },
    "refresh-leaderboards": {
        "task": "forecasts.tasks.refresh_leaderboards_task",
        "schedule": envint("LEADERBOARD_REFRESH_EVERY_SECONDS", "300"),
    },
    "send-reminders": {
        "task": "forecasts.tasks.send_reminders_task",
        "schedule": envint("REMINDERS_EVERY_SECONDS", "3600"),
    },
}
SEEDS_DIR = BASE_DIR / "seeds"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Inline, a line per task run is noise in commands; a worker keeps them.
    "loggers": {
        # Django's default config gives `django` a console handler of its own,
        # so every line it logs reached the console twice (it and root's).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
        },
        "celery.app.trace": {
            "level": os.environ.get(
                "TASK_LOG_LEVEL", "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"
            )
        },
    },
}
