"""The webhook pages under My partner: register (secret shown once), change, rotate, delete,
deliveries with their attempts, redeliver; members and outsiders are refused; query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partner_center.webhooks import events, services
from partner_center.webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


def test_register_shows_the_secret_once(owner, login, receiver):
    client = login(owner)
    response = client.post(
        reverse("webhooks:create"),
        {
            "url": receiver.url,
            "description": "CRM",
            "event_types": ["ho.shared"],
            "is_active": "on",
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "webhooks:detail", args=[endpoint.pk]
    )
    assert endpoint.event_types == ["ho.shared"] and endpoint.is_active
    page = client.get(response.url).content.decode()
    assert endpoint.secret in page and 'data-testid="new-secret"' in page
    again = client.get(response.url).content.decode()
    assert endpoint.secret not in again  # shown once
    client.post(reverse("webhooks:rotate_secret", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.secret in client.get(response.url).content.decode()


def test_a_private_address_is_refused_next_to_the_field(owner, login, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    response = login(owner).post(reverse("webhooks:create"), {"url": "https://127.0.0.1/x"})
    assert response.status_code == 200
    assert b'data-field-error="url"' in response.content
    assert not WebhookEndpoint.objects.exists()


def test_edit_delete_and_redeliver(owner, login, receiver, endpoint_of):
    endpoint, _secret = endpoint_of(owner, receiver.url)
    client = login(owner)
    response = client.post(
        reverse("webhooks:edit", args=[endpoint.pk]),
        {"url": receiver.url, "description": "new", "event_types": []},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.description == "new" and not endpoint.is_active
    client.post(
        reverse("webhooks:edit", args=[endpoint.pk]),
        {"url": receiver.url, "description": "new", "is_active": "on"},
    )
    event = events.publish("comment.added", owner.partner_id, {})
    delivery = WebhookDelivery.objects.get(event=event)
    services.deliver(delivery_id=delivery.pk)
    page = client.get(reverse("webhooks:delivery_detail", args=[delivery.pk]))
    assert page.status_code == 200 and b'data-testid="attempt-table"' in page.content
    response = client.post(reverse("webhooks:delivery_redeliver", args=[delivery.pk]))
    assert response.status_code == 302
    assert WebhookDelivery.objects.filter(redelivery_of=delivery).count() == 1
    client.post(reverse("webhooks:delete", args=[endpoint.pk]))
    assert not WebhookEndpoint.objects.exists()


def test_members_and_outsiders_are_refused(owner, teammate, outsider, login, receiver, endpoint_of):
    endpoint, _secret = endpoint_of(owner, receiver.url)
    event = events.publish("comment.added", owner.partner_id, {})
    delivery = WebhookDelivery.objects.get(event=event)
    member = login(teammate)
    assert member.get(reverse("webhooks:list")).status_code == 403
    assert member.get(reverse("webhooks:detail", args=[endpoint.pk])).status_code == 403
    other = login(outsider)
    assert other.get(reverse("webhooks:list")).status_code == 200
    assert endpoint.url.encode() not in other.get(reverse("webhooks:list")).content
    for name in ("detail", "edit"):
        assert other.get(reverse(f"webhooks:{name}", args=[endpoint.pk])).status_code == 404
    for name in ("rotate_secret", "delete"):
        assert other.post(reverse(f"webhooks:{name}", args=[endpoint.pk])).status_code == 404
    assert other.get(reverse("webhooks:delivery_detail", args=[delivery.pk])).status_code == 404
    assert other.post(reverse("webhooks:delivery_redeliver", args=[delivery.pk])).status_code == 404
    endpoint.refresh_from_db()
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert not WebhookDelivery.objects.filter(redelivery_of=delivery).exists()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_and_detail_pages_query_counts_do_not_grow(owner, login, receiver, endpoint_of):
    client = login(owner)
    endpoint, _secret = endpoint_of(owner, receiver.url)
    events.publish("comment.added", owner.partner_id, {})
    detail = reverse("webhooks:detail", args=[endpoint.pk])
    few = (_count(client, reverse("webhooks:list")), _count(client, detail))
    for _ in range(4):
        endpoint_of(owner, receiver.url)
    for _ in range(15):
        events.publish("comment.added", owner.partner_id, {})
    many = (_count(client, reverse("webhooks:list")), _count(client, detail))
    assert few == many
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 16


def test_menu_entry_for_partner_admins_only(owner, teammate, login):
    assert reverse("webhooks:list").encode() in login(owner).get(reverse("home")).content
    assert reverse("webhooks:list").encode() not in login(teammate).get(reverse("home")).content
