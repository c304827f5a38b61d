"""Reads for the webhook pages and API, scoped to the user's partner."""

from __future__ import annotations

from django.db.models import QuerySet

from partner_center.accounts.access import get_for_user, scope_to_partner

from .models import DeliveryAttempt, PartnerEvent, WebhookDelivery, WebhookEndpoint


def endpoints_for(user) -> QuerySet[WebhookEndpoint]:
    return scope_to_partner(WebhookEndpoint.objects.all(), user).order_by("id")


def get_endpoint_for_user(user, pk: int) -> WebhookEndpoint:
    return get_for_user(WebhookEndpoint.objects.all(), user, pk=pk)


def deliveries_for(user, *, endpoint: WebhookEndpoint | None = None) -> QuerySet[WebhookDelivery]:
    qs = scope_to_partner(
        WebhookDelivery.objects.select_related("event", "endpoint"),
        user,
        partner_field="endpoint__partner",
    )
    if endpoint is not None:
        qs = qs.filter(endpoint=endpoint)
    return qs.order_by("-id")


def get_delivery_for_user(user, pk: int) -> WebhookDelivery:
    return get_for_user(
        WebhookDelivery.objects.select_related("event", "endpoint"),
        user,
        partner_field="endpoint__partner",
        pk=pk,
    )


def attempts_of(delivery: WebhookDelivery) -> QuerySet[DeliveryAttempt]:
    return DeliveryAttempt.objects.filter(delivery=delivery).order_by("number")


def events_for(user, *, after: int = 0, partner_id: int | None = None) -> QuerySet[PartnerEvent]:
    """The user's partner's events after the cursor `after`, oldest first (vendor staff:
    every partner's, or one partner's with `partner_id`)."""
    qs = scope_to_partner(PartnerEvent.objects.all(), user)
    if partner_id is not None:
        qs = qs.filter(partner_id=partner_id)
    return qs.filter(id__gt=after).order_by("id")
