"""Settings shared by every environment. Values that differ per deployment come from the
environment (DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, EMAIL_*)."""

import os
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Reverse proxies (addresses or networks) whose X-Forwarded-For / -Proto are believed; see
# partner_center/proxy.py. Empty: the app is reached directly and believes no such header.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

INSTALLED_APPS = [
    # Our apps come first: their translations and templates win over Django's and
    # third-party apps' (for example our "Filter" and "order" over Django admin's).
    # Core partner domain
    "partner_center.accounts",
    "partner_center.audit",
    "partner_center.workcalendar",
    "partner_center.programs",
    "partner_center.members",
    "partner_center.notifications",
    "partner_center.helpcenter",
    # Business domains
    "opportunities",
    "customers",
    "billing",
    "incentives",
    "certification",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "bootstrap",
    "django_static_echarts",
]

MIDDLEWARE = [
    "partner_center.proxy.ForwardedClientMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # /api/ answers JSON errors and every response an X-Request-ID (before CommonMiddleware's
    # slash redirect).
    "partner_center.api.ApiMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "partner_center.accounts.access.NotAllowedMiddleware",
]

ROOT_URLCONF = "partner_center.urls"
WSGI_APPLICATION = "partner_center.wsgi.application"

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
                "partner_center.accounts.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'demo.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["partner_center.accounts.backends.EmailBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Times are stored in UTC and shown in Asia/Shanghai.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media-not-public/"  # files are served only through access-checking views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Partner Center <no-reply@partner-center.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [
    ("Partner Center admins", a) for a in env_list("ADMIN_EMAILS", "admins@partner-center.local")
]

# Where SMS codes go; the default backend writes them to the log.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "partner_center.accounts.sms.LogSmsBackend")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated call answers 401 with `WWW-Authenticate: Token`.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "partner_center.api.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "partner_center.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "partner_center.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "partner_center.api.exception_handler",
}
# List filters: an empty choice reads "All" rather than dashes.
FILTERS_EMPTY_CHOICE_LABEL = _("All")

SPECTACULAR_SETTINGS = {
    "TITLE": "Partner Center API",
    "DESCRIPTION": "The partner portal's REST API: the same rules as the pages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Tags per domain, summaries, typed ids and the error responses on every operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "partner_center.api.postprocess_schema",
    ],
    # Choice sets that share a field name across serializers get their own enum names.
    "ENUM_NAME_OVERRIDES": {
        "EnterpriseCertificationStateEnum": "certification.models.EnterpriseCertification.State",
        "BankCardCertificationStateEnum": "certification.models.BankCardCertification.State",
        "LabelApplicationStateEnum": "certification.models.LabelApplication.State",
        "ContactChangeChannelEnum": "partner_center.members.models.ContactChange.Channel",
        "DefenseChannelEnum": "certification.models.Defense.Channel",
    },
}

# Celery: JSON only, late acks so a crashed worker's task runs again, bounded run time.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("CACHE_URL", REDIS_URL),
        "KEY_PREFIX": "pc",
    }
}
# Sessions read from the cache and fall back to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CELERY_RESULT_BACKEND = None  # tasks record their outcome on domain rows
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic schedules live in code: each app may declare `SCHEDULE` in its `schedules.py`
# (plain dicts, no model imports). `manage.py sync_schedules` writes them into
# django-celery-beat so admins see (and may pause) them in Django admin.
CELERY_BEAT_SCHEDULE = {
    "workcalendar-next-year-warning": {
        "task": "partner_center.workcalendar.tasks.warn_missing_next_year",
        "schedule": crontab(minute=0, hour=9),
    },
}
for _app in INSTALLED_APPS:
    if _app.startswith(
        ("partner_center.", "opportunities", "customers", "billing", "incentives", "certification")
    ):
        try:
            CELERY_BEAT_SCHEDULE.update(import_module(f"{_app}.schedules").SCHEDULE)
        except ModuleNotFoundError as _exc:
            if _exc.name != f"{_app}.schedules":
                raise

PORTAL_SITE_URL = os.environ.get("PORTAL_SITE_URL", "http://127.0.0.1:8000")
# Landing-page cards of a partner user are cached this long (and dropped at the partner's
# next recorded event); 0 turns the cache off.
HOME_CARDS_CACHE_SECONDS = int(os.environ.get("HOME_CARDS_CACHE_SECONDS", "60"))
EXPORT_FILE_TTL = timedelta(days=int(os.environ.get("EXPORT_FILE_TTL_DAYS", "7")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Uploads: a request body with files may hold at most this many bytes (the largest file any
# form takes is 10 MB); partner_center.uploads refuses bigger ones while reading them.
UPLOAD_MAX_REQUEST_BYTES = int(os.environ.get("UPLOAD_MAX_REQUEST_BYTES", 12 * 1024 * 1024))
FILE_UPLOAD_HANDLERS = [
    "partner_center.uploads.RequestSizeCapHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
