"""Benchmark settings: the test settings (PostgreSQL) on their own database, plus a bare view."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pc_bench")

from partner_center.settings.test import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405 - as in production
CACHES["default"]["KEY_PREFIX"] = "pc-bench"  # noqa: F405 - shared by both workers
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
# as in production: sessions read from Redis first, landing cards cached per partner
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
HOME_CARDS_CACHE_SECONDS = 60
PIPELINE_FIGURES_CACHE_SECONDS = 60
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c statement_timeout=25000"  # noqa: F405 - as the web process
