"""A real Celery worker (Redis broker) delivers a webhook queued through the outbox."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from partner_center.celery import app
from partner_center.webhooks import services
from partner_center.webhooks.models import WebhookDelivery
from tests.faults import wait_for
from tests.opportunities.conftest import make_po

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_delivers_a_signed_event(owner, receiver, verify_snippet):
    endpoint, secret = services.endpoint_create(
        actor=owner, partner=owner.partner, url=receiver.url
    )
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        with transaction.atomic():
            make_po(owner)
        assert wait_for(lambda: WebhookDelivery.objects.filter(state="delivered").exists())
    request = receiver.requests[0]
    assert verify_snippet(secret, request["body"], request["headers"]["X-PC-Signature"])
    assert WebhookDelivery.objects.get().endpoint == endpoint
