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
    "partner_center.outbox",
    "partner_center.webhooks",
    "partner_center.apikeys",
    "partner_center.idempotency",
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
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "bootstrap",
    "simple_history",
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
    "partner_center.accounts.language.LanguageCookieMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "partner_center.accounts.access.NotAllowedMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # API writes: Idempotency-Key replays (outer), then ETag / If-Match (README "Concurrency").
    "partner_center.idempotency.middleware.IdempotencyMiddleware",
    "partner_center.concurrency.ConditionalMiddleware",
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
            # `{% url %}` with each URL's shape kept per process (list rows reverse many).
            "builtins": ["partner_center.urltag"],
        },
    },
]

# Django's renderer, with the common widgets written in Python (the filter bars' dozen widgets
# on every list page): partner_center/form_renderer.py.
FORM_RENDERER = "partner_center.form_renderer.FastWidgetRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'demo.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) are PostgreSQL's; the SQLite demo builds them without it.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

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
        "rest_framework.authentication.SessionAuthentication",  # keys: see the end
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
    # Always in English, whatever the request's language (partner_center/schema_language.py).
    "DEFAULT_GENERATOR_CLASS": "partner_center.schema_language.EnglishSchemaGenerator",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Tags per domain, summaries, typed ids and the error responses on every operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "partner_center.api.postprocess_schema",
        "partner_center.api_headers.postprocess_schema",
    ],
    # Choice sets that share a field name across serializers get their own enum names.
    "ENUM_NAME_OVERRIDES": {
        "EnterpriseCertificationStateEnum": "certification.models.EnterpriseCertification.State",
        "BankCardCertificationStateEnum": "certification.models.BankCardCertification.State",
        "LabelApplicationStateEnum": "certification.models.LabelApplication.State",
        "ContactChangeChannelEnum": "partner_center.members.models.ContactChange.Channel",
        "DefenseChannelEnum": "certification.models.Defense.Channel",
        "DealOutcomeEnum": "opportunities.catalog.DealOutcome",
        "DefenseOutcomeEnum": "certification.models.Defense.Outcome",
        "LeadCloseReasonEnum": "opportunities.catalog.LeadCloseReason",
        "RejectionReasonEnum": "opportunities.catalog.RejectionReason",
        "WebhookDeliveryStateEnum": "partner_center.webhooks.models.WebhookDelivery.State",
        "WebhookEventTypeEnum": "partner_center.webhooks.event_types.EventType",
        "ApiKeyStatusEnum": "partner_center.apikeys.models.KeyStatus",
        "DealFileKindEnum": "opportunities.collab.models.DealAttachment.Kind",
    },
}

# Celery: JSON only, late acks so a crashed worker's task runs again, bounded run time.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
# Redis down: the cache answers misses (partner_center/cache.py) and pages are served from
# the database, slower but up; short socket timeouts keep a dead Redis from stalling them.
CACHES = {
    "default": {
        "BACKEND": "partner_center.cache.ResilientRedisCache",
        "LOCATION": os.environ.get("CACHE_URL", REDIS_URL),
        "KEY_PREFIX": "pc",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
}
# Sessions read from the cache and fall back to the database (also while Redis is down:
# the cache then reports a miss, and the session is read from and written to the database).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CELERY_RESULT_BACKEND = None  # tasks record their outcome on domain rows
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
# With late acks a message stays "unacknowledged" in Redis while its task runs; Redis gives
# it to another worker when it is still unacknowledged after the visibility timeout. It must
# be longer than the longest task (the 15-minute hard limit) or a long, healthy export would
# run twice; kombu's default (1 h) left a crashed worker's export waiting an hour. 20 min =
# the time limit + 5 min margin; jobs also hold a lease, so the reaper finds a dead worker's
# job sooner (see partner_center/jobs.py). Connection timeouts keep an action from hanging
# on a dead broker: the outbox retries instead.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60,
    "socket_connect_timeout": 3,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# One queue per kind of work, so a heavy export or a hostile import never delays an SLA
# sweep or an e-mail. Workers: see docker-compose.yml (`-Q`).
CELERY_TASK_DEFAULT_QUEUE = "sweeps"  # sweeps, deadlines and anything not routed below
CELERY_TASK_ROUTES = {
    "opportunities.tasks.run_po_import": {"queue": "imports"},
    "billing.tasks.render_bill_pdf": {"queue": "exports"},
    "billing.tasks.generate_bill": {"queue": "exports"},
    "billing.tasks.close_bill": {"queue": "exports"},
    "partner_center.notifications.tasks.*": {"queue": "mail"},
    "customers.tasks.email_invitation": {"queue": "mail"},
    "partner_center.members.tasks.send_code": {"queue": "mail"},
    "partner_center.webhooks.tasks.deliver": {"queue": "webhooks"},
}
CELERY_QUEUE_NAMES = ("sweeps", "mail", "exports", "imports", "webhooks")
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
# Pipeline dashboards and HO profile statistics (opportunities/figures_cache.py); 0: off.
PIPELINE_FIGURES_CACHE_SECONDS = int(os.environ.get("PIPELINE_FIGURES_CACHE_SECONDS", "60"))
EXPORT_FILE_TTL = timedelta(days=int(os.environ.get("EXPORT_FILE_TTL_DAYS", "7")))
# Webhooks go to https URLs on public addresses only (the SSRF guard); true allows http and
# private, loopback and link-local addresses (the demo and the tests: endpoints on this host).
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)

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

# --- Signing in and security (partner_center/security; README "Signing in and security") ---
INSTALLED_APPS += [  # noqa: F405
    "partner_center.security",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE += [
    "partner_center.security.middleware.SignInGuardMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]
# The lockout backend runs first and refuses locked-out accounts and addresses.
AUTHENTICATION_BACKENDS = [
    "partner_center.security.lockout.LockoutBackend",
    *AUTHENTICATION_BACKENDS,
]

# Brute force: 10 failures lock the account (from any address) and, separately, the address
# (whatever accounts it tries), for AXES_COOLOFF_MINUTES; tries during a lockout do not
# extend it. Staff unlock in admin ("Access attempts") or with `manage.py axes_reset_username`.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False  # a success must not wipe an address's record of failures
AXES_USERNAME_CALLABLE = "partner_center.security.lockout.username_from_request"
AXES_LOCKOUT_CALLABLE = "partner_center.security.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are recorded as UserSession rows
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2"]
# Behind a reverse proxy set AXES_IPWARE_PROXY_COUNT (the number of proxies in front).
if os.environ.get("AXES_IPWARE_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["AXES_IPWARE_PROXY_COUNT"])
# Password reset requests: per address and per e-mail, in the cache.
PASSWORD_RESET_LIMIT_PER_IP = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_IP", "10"))
PASSWORD_RESET_LIMIT_PER_EMAIL = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_EMAIL", "3"))
PASSWORD_RESET_LIMIT_WINDOW = timedelta(hours=1)

# API: request rates per anonymous address, per user and per API key (X-RateLimit-* headers,
# 429 + Retry-After), and failed key sign-ins per address. Keys: partner_center/apikeys.
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["partner_center.security.throttles.RateLimit"]
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    # Keys first: an unauthenticated call answers 401 with `WWW-Authenticate: Bearer`.
    "partner_center.apikeys.authentication.ApiKeyAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]
API_THROTTLE_RATES = {
    "anon": os.environ.get("API_THROTTLE_ANON", "60/min"),
    "user": os.environ.get("API_THROTTLE_USER", "600/min"),
    "key": os.environ.get("API_THROTTLE_KEY", "300/min"),
}
API_TOKEN_FAILURE_LIMIT = int(os.environ.get("API_TOKEN_FAILURE_LIMIT", "10"))
API_TOKEN_FAILURE_WINDOW = timedelta(minutes=15)

# Second factor (django-otp): TOTP plus ten single-use recovery codes.
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", True)
MFA_TRUST_DAYS = int(os.environ.get("MFA_TRUST_DAYS", "30"))
OTP_TOTP_ISSUER = "Partner Center"

# Sessions: idle expiry per kind of user and an absolute lifetime from sign-in.
SESSION_IDLE_TIMEOUT_STAFF = timedelta(minutes=int(os.environ.get("SESSION_IDLE_STAFF_MIN", "30")))
SESSION_IDLE_TIMEOUT_PARTNER = timedelta(
    minutes=int(os.environ.get("SESSION_IDLE_PARTNER_MIN", str(8 * 60)))
)
SESSION_ABSOLUTE_LIFETIME = timedelta(days=int(os.environ.get("SESSION_MAX_DAYS", "7")))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIFETIME.total_seconds())
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp 4): our own files only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# A bad Host header is the scanner's problem, not an e-mail to the admins.
LOGGING["handlers"]["null"] = {"class": "logging.NullHandler"}
LOGGING["loggers"]["django.security.DisallowedHost"] = {"handlers": ["null"], "propagate": False}
LOGGING["loggers"]["axes"] = {"level": "WARNING"}
SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] = ["rest_framework.permissions.IsAuthenticated"]
