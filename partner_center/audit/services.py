"""Recording events. Services call `record_event` inside their transaction; set-based sweeps
call `record_events_bulk` with one row per changed object."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

from .models import Event

SYSTEM = "system"


def known_verb(verb: str) -> str:
    """`verb` if a lifecycle table writes it or `audit.verbs.Verb` lists it; a free string is
    refused, so that every verb has a label and the audit log one vocabulary."""
    from partner_center.workflow import transition_of

    from .verbs import Verb

    if isinstance(verb, Verb) or verb in Verb._value2member_map_ or transition_of(verb):
        return str(verb)
    raise ValueError(
        f"unknown event verb {verb!r}: take it from a lifecycle table (`<app>/transitions.py`) "
        "or add it to partner_center.audit.verbs.Verb"
    )


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
    verb = known_verb(verb)
    if partner_id is None:
        partner_id = getattr(subject, "partner_id", None)
    partners_changed({partner_id})
    event = Event.objects.create(
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
    from partner_center.webhooks.events import from_audit_event

    from_audit_event(event, subject)  # partner events and webhooks (their one mapping table)
    return event


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
    verb = known_verb(verb)
    ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
    when = at or timezone.now()
    pending = list(rows)
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
        for row in pending
    )
    written = 0
    batch: list[Event] = []
    partners: set[int | None] = set()
    for event in events:
        partners.add(event.partner_id)
        batch.append(event)
        if len(batch) >= batch_size:
            Event.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    if batch:
        Event.objects.bulk_create(batch)
        written += len(batch)
    partners_changed(partners)
    from partner_center.webhooks.events import from_audit_events_bulk

    from_audit_events_bulk(model, verb, pending, when)
    return written


# ---------------------------------------------------------------- the partner's change stamp


def stamp_key(partner_id: int | None) -> str:
    """The cache key of a partner's change stamp; with no partner, the stamp that every
    recorded event changes (what vendor staff's pages read spans every partner)."""
    return f"partner-stamp:{partner_id}" if partner_id is not None else ANY_STAMP


ANY_STAMP = "partner-stamp:any"


def partners_changed(partner_ids: Iterable[int | None]) -> None:
    """Every recorded event changes its partner's stamp, and the stamp of any change, once
    the transaction commits, so whatever is cached against a stamp (the landing page's cards
    and to-do list) is computed afresh."""
    ids = {pk for pk in partner_ids if pk is not None}
    transaction.on_commit(lambda: _new_stamps(ids), robust=True)


def _new_stamps(partner_ids: set[int]) -> None:
    stamp = secrets.token_hex(8)  # never reused, even if the cache lost the previous one
    keys = [stamp_key(pk) for pk in partner_ids] + [ANY_STAMP]
    cache.set_many(dict.fromkeys(keys, stamp), timeout=None)
