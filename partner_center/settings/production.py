"""Production: PostgreSQL + Redis, HTTPS, secrets from the environment."""

import os

from .base import *  # noqa: F403

SECRET_KEY = os.environ["SECRET_KEY"]
if len(SECRET_KEY) < 50 or "change-me" in SECRET_KEY:
    raise RuntimeError("Production needs a SECRET_KEY of 50+ random characters (see .env.example)")
DEBUG = False
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    raise RuntimeError("Production needs DATABASE_URL=postgres://...")

# Keep database connections between requests (each new one costs milliseconds).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
# A query that runs away is stopped by PostgreSQL itself, before gunicorn's 30 s worker
# timeout kills the worker and leaves the query running. The web process sets
# DB_STATEMENT_TIMEOUT_MS (docker-compose: 25000); Celery and migrations run without one.
if int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "0")):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (  # noqa: F405
        f"-c statement_timeout={int(os.environ['DB_STATEMENT_TIMEOUT_MS'])}"
    )

# Behind the reverse proxy (Caddy in docker-compose.yml), which terminates TLS and sets
# X-Forwarded-Proto; partner_center/proxy.py drops that header unless the request comes from
# one of TRUSTED_PROXIES, so only the proxy can say "this was HTTPS".
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # Media (certification files, consent files, imports, bill PDFs) in an S3-compatible
    # bucket through django-storages: MinIO in docker-compose.yml, or a cloud bucket. Paths
    # stay relative to the bucket and to AWS_LOCATION (for example "download"). The bucket is
    # private and its URLs are never handed out: every download streams through the view that
    # checks the reader's access (see README, "Running in production").
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "location": os.environ.get("AWS_LOCATION", ""),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # Empty: boto3 looks for credentials itself (instance role, ~/.aws).
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            # "path" for MinIO and most self-hosted stores; "virtual" or empty for clouds.
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
