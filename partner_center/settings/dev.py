"""Embedded default for the one-command demo: SQLite and a Celery broker on the file
system, so a real worker and beat run with no servers installed."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, env_bool

# The demo shows the product's own 404/500 pages; `DEBUG=1 make demo` for Django's
# technical pages. WhiteNoise serves the static files straight from the apps (no collectstatic).
DEBUG = env_bool("DEBUG", False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Links in e-mails point at the port the demo runs on (bin/demo's DEMO_PORT).
PORTAL_SITE_URL = os.environ.get(
    "PORTAL_SITE_URL", f"http://127.0.0.1:{os.environ.get('DEMO_PORT', '8000')}"
)
# The demo may send webhooks to a receiver on this machine (http, 127.0.0.1).
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", True)
VAR = BASE_DIR / "var"
BROKER_DIR = VAR / "broker"
for sub in ("in", "processed", "control"):
    (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)

if "CELERY_BROKER_URL" not in os.environ:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "in"),
        "data_folder_out": str(BROKER_DIR / "in"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        "control_folder": str(BROKER_DIR / "control"),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # Web, worker and beat share the file: wait for locks, write-ahead log for readers.
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR / "sent-mail"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The demo's staff accounts sign in with a password only; production requires a second factor.
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", False)
