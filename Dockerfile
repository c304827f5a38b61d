# Partner Center image: web, worker and beat run from it (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=partner_center.settings.production

# WeasyPrint's libraries, CJK fonts for bill PDFs, gettext for compiled translations,
# PostgreSQL 15's client tools for bin/restore-backup (pg_restore).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-noto-cjk gettext postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .
COPY . .
# Production settings want a 50+ character SECRET_KEY; this one exists only during the build.
ARG BUILD_SECRET_KEY=image-build-only-never-used-at-run-time-0123456789abcdef
RUN SECRET_KEY=$BUILD_SECRET_KEY DATABASE_URL=postgres://build/build python manage.py compilemessages -v0 \
 && SECRET_KEY=$BUILD_SECRET_KEY DATABASE_URL=postgres://build/build python manage.py collectstatic --noinput -v0 \
 && useradd --create-home partner && mkdir -p /app/var/media && chown -R partner /app/var
USER partner
EXPOSE 8000
CMD ["gunicorn", "partner_center.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
