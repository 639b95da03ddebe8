"""CivicGrid settings, read from the environment.

The embedded default (no environment at all) is a working single-machine
install: SQLite and files under ``var/``, jobs on an SQLite-backed huey queue.
Production sets ``DATABASE_URL`` (PostgreSQL), ``REDIS_URL`` and
``CIVICGRID_SECRET_KEY`` / ``CIVICGRID_FIELD_KEYS``; see docs/operations.md.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CIVICGRID_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """The environment wins; the embedded demo keeps a generated key in var/."""
    key = os.environ.get("CIVICGRID_SECRET_KEY")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("CIVICGRID_DEBUG", False)
TESTING = env_bool("CIVICGRID_TESTING", False)
ALLOWED_HOSTS = env_list("CIVICGRID_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CIVICGRID_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "huey.contrib.djhuey",
    "ninja",
    "civicgrid.core",
    "civicgrid.areas",
    "civicgrid.accounts",
    "civicgrid.places",
    "civicgrid.people",
    "civicgrid.imports",
    "civicgrid.cases",
    "civicgrid.demo",
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
    "django_htmx.middleware.HtmxMiddleware",
    "civicgrid.core.middleware.RequestContextMiddleware",
    "civicgrid.core.security.IdleTimeoutMiddleware",
    "civicgrid.core.security.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "civicgrid.urls"
WSGI_APPLICATION = "civicgrid.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicgrid.core.context_processors.navigation",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'civicgrid.sqlite3'}",
        conn_max_age=int(os.environ.get("CIVICGRID_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web process and a job worker both write: WAL, a busy timeout and
    # IMMEDIATE transactions keep them from failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, jobs ------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# One job mechanism: Django's tasks API (django-tasks backport) on huey.
# Embedded default: huey on an SQLite file, consumed by a thread of the demo
# server (no extra server). Production: huey on Redis, `manage.py run_huey`.
if TESTING or env_bool("CIVICGRID_JOBS_IMMEDIATE"):
    HUEY = {"huey_class": "huey.MemoryHuey", "name": "civicgrid", "immediate": True}
elif REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "civicgrid",
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": int(os.environ.get("CIVICGRID_JOB_WORKERS", "2")), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "civicgrid",
        "filename": str(DATA_DIR / "jobs.sqlite3"),
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
TASKS = {
    "default": {
        "BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend",
        "ENQUEUE_ON_COMMIT": not TESTING,
    }
}

# --- Auth -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = int(os.environ.get("CIVICGRID_SESSION_SECONDS", str(8 * 3600)))
# Idle sessions end after this many minutes without a request (等保 2.0).
IDLE_TIMEOUT_MINUTES = int(os.environ.get("CIVICGRID_IDLE_MINUTES", "30"))
LOGIN_URL_PATH = "/accounts/login/"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("CIVICGRID_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Language, time ----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS: list = []  # each app keeps its catalog in <app>/locale
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files: vendor assets come from node_modules (npm), never a CDN ---------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("CIVICGRID_STATIC_ROOT", BASE_DIR / "staticfiles"))
NODE_MODULES_DIR = BASE_DIR / "node_modules"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "civicgrid.core.assets.VendorAssetFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": DATA_DIR / "media"}},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "civicgrid.core.assets.VendorSafeManifestStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG
MEDIA_ROOT = DATA_DIR / "media"

# --- Maps -----------------------------------------------------------------------
# A tile URL template for a self-hosted or 天地图 layer, e.g.
# "https://tiles.example.gov.cn/{z}/{x}/{y}.png". Empty: plain background.
MAP_TILE_URL = os.environ.get("CIVICGRID_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("CIVICGRID_MAP_TILE_ATTRIBUTION", "")
# Values of {s} in the tile URL (天地图: "01234567").
MAP_TILE_SUBDOMAINS = os.environ.get("CIVICGRID_MAP_TILE_SUBDOMAINS", "abc")
# Coordinate system the tiles expect: "wgs84" (天地图, self-hosted) or "gcj02".
MAP_TILE_CRS = os.environ.get("CIVICGRID_MAP_TILE_CRS", "wgs84")
# Sibling grids may overlap by digitising slivers up to this many square metres.
GRID_OVERLAP_TOLERANCE_M2 = float(os.environ.get("CIVICGRID_GRID_OVERLAP_TOLERANCE_M2", "50"))

# Open311 GeoReport v2: the jurisdiction_id clients may send (empty parameter = this one).
OPEN311_JURISDICTION = os.environ.get("CIVICGRID_OPEN311_JURISDICTION", "civicgrid")

# SMS provider: "console" (log only), "outbox" (in memory) or a dotted path to a backend class.
SMS_BACKEND = os.environ.get("CIVICGRID_SMS_BACKEND", "console")

# Working periods of a working day, for SLAs counted in 工作时 (local time).
WORK_PERIODS = [("08:30", "12:00"), ("13:30", "17:30")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CIVICGRID_LOG_LEVEL", "INFO")},
    "loggers": {"huey": {"level": "WARNING"}, "django.request": {"level": "ERROR"}},
}
