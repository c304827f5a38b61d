"""The outbox's rules, without a broker: rows commit or roll back with the action, keys
deduplicate, the relay backs off and stops at the first broker failure."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from partner_center.outbox import services as outbox
from partner_center.outbox.models import OutboxEntry

pytestmark = pytest.mark.django_db


def test_backoff_doubles_up_to_a_ceiling():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert outbox.backoff(50) == timedelta(seconds=outbox.BACKOFF_MAX_SECONDS)


def test_an_entry_rolls_back_with_its_action():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue("x.y", {"a": 1})
        raise RuntimeError
    assert not OutboxEntry.objects.exists()


def test_a_key_queues_once():
    first = outbox.enqueue("x.y", {"a": 1}, key="k-1")
    again = outbox.enqueue("x.y", {"a": 2}, key="k-1")
    assert first.pk == again.pk and OutboxEntry.objects.count() == 1


def test_the_relay_stops_at_the_first_failure_and_backs_off(monkeypatch):
    for n in range(3):
        outbox.enqueue("x.y", {"n": n})
    calls = []

    def down(entry):
        calls.append(entry.pk)
        raise ConnectionError("broker down")

    monkeypatch.setattr(outbox, "_publish", down)
    assert outbox.relay_due() == {"sent": 0, "failed": 1}
    assert len(calls) == 1  # the others were not tried against a dead broker
    due = OutboxEntry.objects.filter(next_attempt_at__lte=timezone.now())
    assert not due.exists()  # all wait for the next attempt
    first = OutboxEntry.objects.get(pk=calls[0])
    assert first.attempts == 1 and "broker down" in first.last_error

    sent = []
    monkeypatch.setattr(outbox, "_publish", lambda entry: sent.append(entry.pk))
    OutboxEntry.objects.update(next_attempt_at=timezone.now())
    assert outbox.relay_due() == {"sent": 3, "failed": 0}
    assert outbox.relay_due() == {"sent": 0, "failed": 0}  # sent once
    assert len(sent) == 3


def test_given_up_after_the_last_attempt_and_retried_by_an_admin(monkeypatch, admin_user):
    entry = outbox.enqueue("x.y")
    OutboxEntry.objects.filter(pk=entry.pk).update(attempts=outbox.MAX_ATTEMPTS - 1)

    def down(entry):
        raise ConnectionError("still down")

    monkeypatch.setattr(outbox, "_publish", down)
    assert not outbox.send_entry(entry.pk)
    entry.refresh_from_db()
    assert entry.state == "failed"
    assert outbox.retry_now(actor=admin_user, entry_ids=[entry.pk]) == 1
    entry.refresh_from_db()
    assert entry.state == "pending" and entry.next_attempt_at <= timezone.now()


def test_admin_lists_entries_and_retries(login, admin_user):
    from django.urls import reverse

    entry = outbox.enqueue("x.y")
    OutboxEntry.objects.filter(pk=entry.pk).update(state="failed")
    client = login(admin_user)
    url = reverse("admin:outbox_outboxentry_changelist")
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "retry_now", "_selected_action": [entry.pk]})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == "pending"
