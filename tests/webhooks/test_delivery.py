"""A signed delivery reaches a real HTTP server, is verified with the README's code, and is
retried after a 500; endpoints that keep failing are turned off; redelivery by hand."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from partner_center.notifications.models import Notification
from partner_center.webhooks import events, services
from partner_center.webhooks.models import DeliveryAttempt, PartnerEvent, WebhookDelivery
from tests.opportunities.conftest import make_po

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("outbox_inline")]
S = WebhookDelivery.State


def test_signed_delivery_verified_and_retried_after_a_500(
    owner, receiver, endpoint_of, verify_snippet, django_capture_on_commit_callbacks
):
    endpoint, secret = endpoint_of(owner, receiver.url, event_types=["po.state_changed"])
    receiver.answers = [500]
    with django_capture_on_commit_callbacks(execute=True):
        po = make_po(owner)  # a draft: po.created → po.state_changed
    assert len(receiver.requests) == 1
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.state == S.PENDING and delivery.attempts == 1
    assert delivery.last_status_code == 500
    first = DeliveryAttempt.objects.get(delivery=delivery, number=1)
    assert first.status_code == 500 and not first.succeeded
    assert len(first.response_excerpt) <= 1024 and first.response_excerpt.startswith("boom")
    # Not due yet: the sweep queues nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_due()["queued"] == 0
    assert len(receiver.requests) == 1

    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=True):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.retry_due()["queued"] == 1
        assert len(receiver.requests) == 2
        delivery.refresh_from_db()
        assert delivery.state == S.DELIVERED and delivery.attempts == 2
        # The sweep again: nothing left, nothing sent twice.
        with django_capture_on_commit_callbacks(execute=True):
            assert services.retry_due()["queued"] == 0
        assert len(receiver.requests) == 2
        request = receiver.requests[-1]
        headers = {k.lower(): v for k, v in request["headers"].items()}
        assert verify_snippet(secret, request["body"], headers["x-pc-signature"])
        assert not verify_snippet("whsec_wrong", request["body"], headers["x-pc-signature"])
        assert not verify_snippet(secret, request["body"] + b" ", headers["x-pc-signature"])

    assert headers["content-type"] == "application/json"
    assert headers["x-pc-event"] == "po.state_changed"
    assert headers["x-pc-delivery"] == str(delivery.pk)  # the same on the retry
    assert receiver.requests[0]["headers"]["X-PC-Delivery"] == str(delivery.pk)
    body = json.loads(request["body"])
    event = PartnerEvent.objects.get(pk=body["id"])
    assert body == events.envelope(event)
    assert body["type"] == "po.state_changed" and body["partner_id"] == owner.partner_id
    assert body["data"]["object"] == {"kind": "po", "id": po.pk, "state": "draft"}
    assert body["data"]["links"]["api"].endswith(f"/api/v1/opportunities/po/{po.pk}/")
    assert receiver.requests[0]["body"] == request["body"]
    attempts = list(DeliveryAttempt.objects.filter(delivery=delivery).order_by("number"))
    assert [(a.number, a.status_code, a.succeeded) for a in attempts] == [
        (1, 500, False),
        (2, 200, True),
    ]
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.failing_since is None


def test_only_subscribed_types_and_active_endpoints_get_deliveries(
    owner, bd, receiver, endpoint_of, django_capture_on_commit_callbacks
):
    endpoint_of(owner, receiver.url, event_types=["ho.shared"])
    off, _secret = endpoint_of(owner, receiver.url, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_po(owner, state="submitted")
    assert receiver.requests == []
    types = list(PartnerEvent.objects.filter(partner=owner.partner).values_list("type", flat=True))
    assert types == ["po.state_changed", "po.state_changed"]  # the feed has them all
    assert not WebhookDelivery.objects.filter(endpoint=off).exists()


def test_a_rolled_back_change_publishes_nothing(owner, receiver, endpoint_of):
    endpoint_of(owner, receiver.url)
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        make_po(owner)
        raise RuntimeError
    assert not PartnerEvent.objects.exists() and not WebhookDelivery.objects.exists()


def test_a_final_4xx_is_not_retried_and_a_delivery_never_runs_twice(
    owner, receiver, endpoint_of, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_of(owner, receiver.url)
    receiver.answers = [404]
    with django_capture_on_commit_callbacks(execute=True):
        make_po(owner)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.state == S.FAILED and delivery.attempts == 1
    # A repeated message for the same delivery does nothing.
    services.deliver(delivery_id=delivery.pk)
    assert len(receiver.requests) == 1
    # Nor does a message while another worker holds the lease.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=S.SENDING, lease_expires_at=timezone.now() + timedelta(seconds=30)
    )
    services.deliver(delivery_id=delivery.pk)
    assert len(receiver.requests) == 1


def test_an_interrupted_attempt_is_taken_back_and_retried(owner, receiver, endpoint_of):
    endpoint, _secret = endpoint_of(owner, receiver.url)
    event = events.publish("comment.added", owner.partner_id, {"comment": {"id": 1}})
    delivery = WebhookDelivery.objects.get(event=event)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=S.SENDING, attempts=1, lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert services.retry_due()["reaped"] == 1
    delivery.refresh_from_db()
    assert delivery.state == S.PENDING and delivery.attempts == 1
    assert "interrupted" in DeliveryAttempt.objects.get(delivery=delivery).error


def test_network_errors_are_retried_with_backoff_then_given_up(owner, endpoint_of):
    # A port nobody listens on.
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    endpoint, _secret = endpoint_of(owner, f"http://127.0.0.1:{port}/x")
    event = events.publish("comment.added", owner.partner_id, {})
    delivery = WebhookDelivery.objects.get(event=event)
    start = timezone.now()
    waits = []
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(services.MAX_ATTEMPTS):
            services.deliver(delivery_id=delivery.pk)
            delivery.refresh_from_db()
            if delivery.state == S.FAILED:
                break
            waits.append(delivery.next_attempt_at - timezone.now())
            clock.move_to(delivery.next_attempt_at)
    assert delivery.state == S.FAILED and delivery.attempts == services.MAX_ATTEMPTS
    assert [w.total_seconds() / 60 for w in waits] == [1, 2, 4, 8, 16, 32, 64]
    assert "ConnectionRefusedError" in delivery.last_error
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 1 and endpoint.is_active


def test_endpoint_turned_off_after_failed_deliveries_and_admins_notified(
    owner, teammate, receiver, endpoint_of
):
    endpoint, _secret = endpoint_of(owner, receiver.url)
    receiver.answers = [410] * services.DISABLE_AFTER_FAILED_DELIVERIES
    for _ in range(services.DISABLE_AFTER_FAILED_DELIVERIES):
        event = events.publish("comment.added", owner.partner_id, {})
        services.deliver(delivery_id=WebhookDelivery.objects.get(event=event).pk)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at is not None
    assert endpoint.consecutive_failures == services.DISABLE_AFTER_FAILED_DELIVERIES
    notes = Notification.objects.filter(kind="webhooks.endpoint_disabled")
    assert [n.recipient for n in notes] == [owner]  # the partner admins, not members
    assert endpoint.url in notes[0].title
    # New events queue nothing for it; a queued one is closed without a request.
    sent = len(receiver.requests)
    events.publish("comment.added", owner.partner_id, {})
    assert len(receiver.requests) == sent
    # Turned on again: the count starts afresh.
    endpoint = services.endpoint_update(actor=owner, endpoint=endpoint, is_active=True)
    assert endpoint.consecutive_failures == 0 and endpoint.disabled_at is None


def test_endpoint_failing_for_a_day_is_turned_off(owner, receiver, endpoint_of):
    endpoint, _secret = endpoint_of(owner, receiver.url)
    receiver.answers = [503, 503]
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        event = events.publish("comment.added", owner.partner_id, {})
        services.deliver(delivery_id=WebhookDelivery.objects.get(event=event).pk)
        clock.move_to(start + services.DISABLE_AFTER_FAILING_FOR)
        event = events.publish("comment.added", owner.partner_id, {})
        services.deliver(delivery_id=WebhookDelivery.objects.get(event=event).pk)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and "failing since" in endpoint.disabled_reason


def test_redeliver_sends_the_same_event_as_a_new_delivery(
    owner, receiver, endpoint_of, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_of(owner, receiver.url)
    receiver.answers = [400]
    with django_capture_on_commit_callbacks(execute=True):
        event = events.publish("comment.added", owner.partner_id, {"comment": {"id": 9}})
    first = WebhookDelivery.objects.get(event=event)
    assert first.state == S.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        again = services.delivery_redeliver(actor=owner, delivery=first)
    again.refresh_from_db()
    assert again.state == S.DELIVERED and again.redelivery_of == first
    assert len(receiver.requests) == 2
    bodies = [json.loads(r["body"]) for r in receiver.requests]
    assert bodies[0] == bodies[1] and bodies[0]["id"] == event.pk
    assert receiver.requests[1]["headers"]["X-PC-Delivery"] == str(again.pk)
