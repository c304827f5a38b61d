"""Publishing partner events: the one place a `PartnerEvent` is written and its deliveries
queued.

`publish(type, partner_id, payload, object=...)` writes the event in the caller's
transaction and one `WebhookDelivery` per active endpoint of the partner that subscribes to
the type, each queued through the outbox (so it is sent once the change commits, and not at
all if it rolls back). The audit log feeds it: `record_event` / `record_events_bulk` call
`from_audit_event(s)`, which look the verb up in `event_types.ROUTES`.

A payload names the object (kind, id, state) and links to it, and nothing of another
partner: the receiver fetches details through the API with its own key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .event_types import KINDS, ROUTES, EventType
from .models import PartnerEvent, WebhookDelivery, WebhookEndpoint

DELIVER_TASK = "partner_center.webhooks.tasks.deliver"


@dataclass(frozen=True)
class ObjectRef:
    """An object as payloads name it."""

    kind: str
    id: int
    state: str = ""
    previous_state: str = ""
    key: str = ""  # the lifecycle key (links), when it differs from `kind`

    def as_json(self) -> dict:
        data: dict[str, Any] = {"kind": self.kind, "id": self.id, "state": self.state}
        if self.previous_state:
            data["previous_state"] = self.previous_state
        return data


def _absolute(url_name: str, pk: int) -> str:
    if not url_name:
        return ""
    try:
        path = reverse(url_name, kwargs={"pk": pk})
    except NoReverseMatch:
        return ""
    return f"{settings.PORTAL_SITE_URL.rstrip('/')}{path}"


def links_for(ref: ObjectRef) -> dict:
    kind = KINDS.get(ref.key or ref.kind)
    if kind is None:
        return {}
    links = {"html": _absolute(kind.page, ref.id), "api": _absolute(kind.api, ref.id)}
    return {name: url for name, url in links.items() if url}


def ref_of(obj: models.Model) -> ObjectRef:
    """The reference of a model instance: its lifecycle's kind and state, if it has one."""
    from partner_center.workflow import lifecycle_of

    try:
        lifecycle = lifecycle_of(obj)
    except LookupError:
        return ObjectRef(obj._meta.model_name, obj.pk, str(getattr(obj, "state", "") or ""))
    kind = KINDS.get(lifecycle.key)
    return ObjectRef(
        kind.name if kind else lifecycle.key,
        obj.pk,
        str(lifecycle.state_of(obj)),
        key=lifecycle.key,
    )


def envelope(event: PartnerEvent) -> dict:
    """What a webhook's body and the events feed carry for one event."""
    return {
        "id": event.pk,
        "type": event.type,
        "created_at": event.created_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "partner_id": event.partner_id,
        "data": event.payload,
    }


def _payload(ref: ObjectRef | None, extra: dict | None) -> dict:
    data: dict[str, Any] = {}
    if ref is not None:
        data["object"] = ref.as_json()
        data["links"] = links_for(ref)
    data.update(extra or {})
    return data


def publish(
    event_type: str,
    partner_id: int | None,
    payload: dict | None = None,
    *,
    object: models.Model | ObjectRef | None = None,  # noqa: A002 - the payload's "object"
    at=None,
) -> PartnerEvent | None:
    """Record that `event_type` happened to `partner_id`'s `object` and queue its webhooks
    (in the caller's transaction). `payload` adds keys next to `object` and `links`.
    Returns the event (None without a partner: nobody to tell)."""
    events = publish_many(event_type, [(partner_id, object, payload)], at=at)
    return events[0] if events else None


def publish_many(
    event_type: str,
    rows: Iterable[tuple[int | None, models.Model | ObjectRef | None, dict | None]],
    *,
    at=None,
) -> list[PartnerEvent]:
    """`publish` for many (partner_id, object, payload) rows at once: one INSERT of events,
    one query for the endpoints, one INSERT of deliveries (set-based sweeps)."""
    EventType(event_type)  # an unknown type is a programming error
    when = at or timezone.now()
    events = []
    for partner_id, obj, extra in rows:
        if partner_id is None:
            continue
        ref = ref_of(obj) if isinstance(obj, models.Model) else obj
        events.append(
            PartnerEvent(
                partner_id=partner_id,
                type=event_type,
                created_at=when,
                payload=_payload(ref, extra),
            )
        )
    if not events:
        return []
    events = PartnerEvent.objects.bulk_create(events)
    _queue_deliveries(events)
    return events


def _queue_deliveries(events: list[PartnerEvent]) -> None:
    from partner_center.outbox.services import enqueue

    partner_ids = {e.partner_id for e in events}
    endpoints: dict[int, list[WebhookEndpoint]] = {}
    for endpoint in WebhookEndpoint.objects.filter(partner_id__in=partner_ids, is_active=True):
        endpoints.setdefault(endpoint.partner_id, []).append(endpoint)
    if not endpoints:
        return
    deliveries = [
        WebhookDelivery(endpoint=endpoint, event=event)
        for event in events
        for endpoint in endpoints.get(event.partner_id, ())
        if endpoint.wants(event.type)
    ]
    for delivery in WebhookDelivery.objects.bulk_create(deliveries):
        enqueue(DELIVER_TASK, {"delivery_id": delivery.pk})


# ---------------------------------------------------------------- fed by the audit log


def _split_verb(verb: str) -> tuple[str, str]:
    key, _sep, action = str(verb).partition(".")
    return key, action


def from_audit_event(event, subject: models.Model) -> None:
    """Called by `record_event` for every event: publish it if its verb is routed."""
    route = ROUTES.get(str(event.verb))
    if route is None or event.partner_id is None:
        return
    key, action = _split_verb(event.verb)
    opportunity_kind = getattr(subject, "kind", None) if key == "opportunity" else None
    event_type = route.type_for(opportunity_kind)
    if not event_type:
        return
    if opportunity_kind:
        key = opportunity_kind
    ref = ref_of(subject)
    kind = KINDS.get(key)
    ref = ObjectRef(
        kind.name if kind else ref.kind,
        subject.pk,
        event.to_state or ref.state,
        event.from_state if event.from_state != event.to_state else "",
        key=key,
    )
    publish(event_type, event.partner_id, {"action": action}, object=ref, at=event.created_at)


def from_audit_events_bulk(model: type[models.Model], verb: str, rows: list, at) -> None:
    """Called by `record_events_bulk` (the sweeps): the same, for many rows at once."""
    route = ROUTES.get(str(verb))
    if route is None:
        return
    key, action = _split_verb(verb)
    rows = [r for r in rows if r.partner_id is not None]
    if not rows:
        return
    current: dict[int, tuple[str, str]] = {}
    if key == "opportunity" or any(not r.to_state for r in rows):
        fields = ["pk", "kind" if key == "opportunity" else "pk", "state"]
        current = {
            pk: (kind, state)
            for pk, kind, state in model._default_manager.filter(
                pk__in=[r.subject_id for r in rows]
            ).values_list(*fields)
        }
    by_type: dict[str, list] = {}
    for row in rows:
        obj_kind, state = current.get(row.subject_id, ("", ""))
        row_key = obj_kind if key == "opportunity" else key
        event_type = route.type_for(obj_kind if key == "opportunity" else None)
        if not event_type:
            continue
        kind = KINDS.get(row_key)
        ref = ObjectRef(
            kind.name if kind else row_key,
            row.subject_id,
            row.to_state or str(state),
            row.from_state if row.from_state != row.to_state else "",
            key=row_key,
        )
        by_type.setdefault(event_type, []).append((row.partner_id, ref, {"action": action}))
    for event_type, items in by_type.items():
        publish_many(event_type, items, at=at)


def from_recorded(model: type[models.Model], ids, verbs) -> None:
    """For a sweep that inserts its audit events itself (the SLA sweep's single SQL
    statement): publish the events of `verbs` just recorded for these rows."""
    from django.contrib.contenttypes.models import ContentType

    from partner_center.audit.models import Event
    from partner_center.audit.services import PendingEvent

    ids = list(ids)
    if not ids:
        return
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    rows: dict[str, list] = {}
    for verb, subject_id, partner_id, from_state, to_state in (
        Event.objects.filter(subject_type=content_type, subject_id__in=ids, verb__in=list(verbs))
        .order_by("id")
        .values_list("verb", "subject_id", "partner_id", "from_state", "to_state")
    ):
        rows.setdefault(verb, []).append(PendingEvent(subject_id, partner_id, from_state, to_state))
    now = timezone.now()
    for verb, pending in rows.items():
        from_audit_events_bulk(model, verb, pending, now)
