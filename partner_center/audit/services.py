"""Recording events. Services call `record_event` inside their transaction; set-based sweeps
call `record_events_bulk` with one row per changed object."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .models import Event

SYSTEM = "system"


def record_event(
    *,
    actor,
    subject: models.Model,
    verb: str,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    partner_id: int | None = None,
    data: dict | None = None,
    actor_label: str = "",
    at: datetime | None = None,
) -> Event:
    """Write one event about `subject`. `actor` is a user, or None for the system."""
    if partner_id is None:
        partner_id = getattr(subject, "partner_id", None)
    return Event.objects.create(
        created_at=at or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label or ("" if getattr(actor, "pk", None) else SYSTEM),
        partner_id=partner_id,
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        subject_id=subject.pk,
        verb=verb,
        from_state=from_state,
        to_state=to_state,
        reason=str(reason),
        data=data or {},
    )


@dataclass
class PendingEvent:
    subject_id: int
    partner_id: int | None
    from_state: str = ""
    to_state: str = ""
    reason: str = ""
    data: dict = field(default_factory=dict)


def record_events_bulk(
    *,
    model: type[models.Model],
    verb: str,
    rows: Iterable[PendingEvent],
    actor=None,
    actor_label: str = SYSTEM,
    at: datetime | None = None,
    batch_size: int = 5000,
) -> int:
    """Insert one event per row in batches; returns how many were written."""
    ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
    when = at or timezone.now()
    events = (
        Event(
            created_at=when,
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label="" if getattr(actor, "pk", None) else actor_label,
            partner_id=row.partner_id,
            subject_type=ct,
            subject_id=row.subject_id,
            verb=verb,
            from_state=row.from_state,
            to_state=row.to_state,
            reason=str(row.reason),
            data=row.data,
        )
        for row in rows
    )
    written = 0
    batch: list[Event] = []
    for event in events:
        batch.append(event)
        if len(batch) >= batch_size:
            Event.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    if batch:
        Event.objects.bulk_create(batch)
        written += len(batch)
    return written
