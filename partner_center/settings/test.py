"""Tests run against PostgreSQL and Redis, as production does."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES

DATABASES["default"] = dj_database_url.parse(
    os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/partner_center")
)
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("Tests run against PostgreSQL: set DATABASE_URL to a postgres:// URL")

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CACHES = {
    "default": {
        "BACKEND": "partner_center.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"pc-test-{os.getpid()}",  # test runs never read each other's keys
        "TIMEOUT": 600,
    }
}
# Each test process gets its own queue, so two test runs on one Redis never share work.
CELERY_TASK_DEFAULT_QUEUE = f"pc-test-{os.getpid()}"
# ... and every task goes to it (production's routes are tested in tests/core/test_reliability.py).
CELERY_TASK_ROUTES: dict = {}

# Sessions in the database: query counts in tests then include the session read and do
# not depend on what the cache holds (production reads sessions from Redis first).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Most tests make data with factories, which record no events: the landing cards' cache
# would show them stale. tests/core/test_home_cache.py turns it on and tests it.
HOME_CARDS_CACHE_SECONDS = 0
PIPELINE_FIGURES_CACHE_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "partner_center.accounts.sms.MemorySmsBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # each test points it at its own tmp dir
DEBUG = False
# Guards a plain test client would trip on: tests/security turns each one on where it tests it.
MFA_REQUIRED_FOR_STAFF = False
SESSION_IDLE_TIMEOUT_STAFF = SESSION_IDLE_TIMEOUT_PARTNER = None
SESSION_ABSOLUTE_LIFETIME = None
# Webhook tests send to a server on 127.0.0.1; the SSRF guard tests turn this off.
WEBHOOKS_ALLOW_PRIVATE = True
API_THROTTLE_RATES = {"anon": "100000/min", "user": "100000/min", "key": "100000/min"}
