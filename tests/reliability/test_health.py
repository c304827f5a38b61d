"""/healthz answers 200 when database, Redis, broker, beat and the outbox are fine, and
503 naming the part that is not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partner_center.celery import app
from partner_center.outbox.models import Heartbeat, OutboxEntry
from partner_center.outbox.tasks import beat_heartbeat
from tests.faults import free_port

pytestmark = pytest.mark.django_db


def get(client):
    response = client.get("/healthz")
    return response.status_code, response.json()


def test_all_fine(client):
    beat_heartbeat()
    status, body = get(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "broker", "beat", "outbox"}
    assert body["checks"]["outbox"]["oldest_due_seconds"] is None


def test_beat_silent_for_long(client):
    Heartbeat.objects.create(name="beat", at=timezone.now() - timedelta(minutes=10))
    status, body = get(client)
    assert status == 503 and not body["checks"]["beat"]["ok"]
    Heartbeat.objects.all().delete()
    assert get(client)[0] == 503  # never ran


def test_an_outbox_entry_due_for_long(client):
    beat_heartbeat()
    OutboxEntry.objects.create(
        task_name="x",
        created_at=timezone.now() - timedelta(minutes=20),
        next_attempt_at=timezone.now() - timedelta(minutes=1),
    )
    status, body = get(client)
    assert status == 503 and body["checks"]["outbox"]["oldest_due_seconds"] >= 1200


def test_broker_and_redis_down(client, settings):
    beat_heartbeat()
    original = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "partner_center.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    try:
        status, body = get(client)
    finally:
        app.conf.broker_url = original
    assert status == 503
    assert not body["checks"]["broker"]["ok"] and not body["checks"]["redis"]["ok"]
    assert body["checks"]["database"]["ok"]
