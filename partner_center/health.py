"""`/healthz`: can this deployment do its work? JSON with one entry per part (database,
Redis, broker, beat's last run, the oldest outbox entry still due); 200 when every part is
fine, 503 otherwise. Public (docker-compose's healthchecks call it) and cheap: each check
gives up within about a second."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

BEAT_STALE_AFTER = timedelta(minutes=3)  # beat records a heartbeat every 30 s
OUTBOX_DUE_TOO_LONG = timedelta(minutes=5)


def _timed(check) -> dict:
    started = time.monotonic()
    try:
        result = check()
    except Exception as exc:  # noqa: BLE001 - a health check reports, never raises
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def check_redis() -> dict:
    import redis

    cache = settings.CACHES["default"]
    url = str(cache.get("LOCATION") or "")
    if "redis" not in cache["BACKEND"].lower() or not url.startswith(("redis://", "rediss://")):
        return {"ok": True, "note": "no Redis cache configured"}  # the demo
    client = redis.Redis.from_url(
        url, socket_connect_timeout=1, socket_timeout=1, retry_on_timeout=False
    )
    try:
        client.ping()
    finally:
        client.close()
    return {"ok": True}


def check_broker() -> dict:
    from partner_center.celery import app
    from partner_center.outbox.services import _probe_broker

    _probe_broker(app)
    return {"ok": True}


def check_beat() -> dict:
    from partner_center.outbox.models import Heartbeat

    last = Heartbeat.objects.filter(name="beat").values_list("at", flat=True).first()
    if last is None:
        return {"ok": False, "last_run": None}
    age = (timezone.now() - last).total_seconds()
    return {
        "ok": age <= BEAT_STALE_AFTER.total_seconds(),
        "last_run": last.isoformat(),
        "age_seconds": round(age),
    }


def check_outbox() -> dict:
    from partner_center.outbox.models import OutboxEntry
    from partner_center.outbox.services import oldest_due_age

    age = oldest_due_age()
    pending = OutboxEntry.objects.filter(state=OutboxEntry.State.PENDING).count()
    return {
        "ok": age is None or age <= OUTBOX_DUE_TOO_LONG.total_seconds(),
        "oldest_due_seconds": None if age is None else round(age),
        "pending": pending,
    }


CHECKS = {
    "database": check_database,
    "redis": check_redis,
    "broker": check_broker,
    "beat": check_beat,
    "outbox": check_outbox,
}


@never_cache
@require_GET
def healthz(request):
    results = {name: _timed(check) for name, check in CHECKS.items()}
    if not results["database"]["ok"]:  # the other checks read the database
        for name in ("beat", "outbox"):
            results[name] = {"ok": False, "error": "database unavailable"}
    ok = all(r["ok"] for r in results.values())
    return JsonResponse(
        {"status": "ok" if ok else "fail", "checks": results}, status=200 if ok else 503
    )
