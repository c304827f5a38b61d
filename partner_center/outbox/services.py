"""The transactional outbox.

`enqueue(task_name, kwargs, key=...)` writes an `OutboxEntry` in the caller's transaction,
so the request to run a task commits or rolls back with the change that asked for it. After
commit it tries once to hand the entry to the broker; if the broker is down that failure is
only logged and the action still succeeds. `relay_due` (a beat task every few seconds, a
thread inside the beat process and `manage.py outbox_relay`) sends every entry that is due,
with exponential backoff while the broker stays down.

Delivery is at least once: an entry may reach a worker twice (sent, then the commit that
marks it sent is lost; or a worker dies and the message is redelivered). Tasks are sent with
the id `outbox-<pk>`; `OutboxAwareTask` skips a task whose entry is already done, and the
task bodies are idempotent themselves (they check the state of the row they work on)."""

from __future__ import annotations

import logging
import socket
from datetime import timedelta
from urllib.parse import urlparse

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import OutboxEntry

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 30  # about a day of retries with the backoff below
BACKOFF_BASE_SECONDS = 2
BACKOFF_MAX_SECONDS = 15 * 60
BATCH = 200


def backoff(attempts: int) -> timedelta:
    """Delay before the next attempt after `attempts` failed ones: 2, 4, 8 … s, at most 15 min."""
    return timedelta(
        seconds=min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    )


def enqueue(task_name: str, kwargs: dict | None = None, *, key: str | None = None) -> OutboxEntry:
    """Record that `task_name(**kwargs)` must run once the current transaction commits.

    With `key`, a second request with the same key returns the first entry (a retried
    action does not queue its side effect twice)."""
    if not isinstance(task_name, str):  # a task object
        task_name = task_name.name
    payload = kwargs or {}
    if key:
        existing = OutboxEntry.objects.filter(dedup_key=key).first()
        if existing:
            return existing
        try:
            with transaction.atomic():
                entry = OutboxEntry.objects.create(
                    task_name=task_name, payload=payload, dedup_key=key
                )
        except IntegrityError:  # the same key, written concurrently
            return OutboxEntry.objects.get(dedup_key=key)
    else:
        entry = OutboxEntry.objects.create(task_name=task_name, payload=payload)
    pk = entry.pk
    transaction.on_commit(lambda: send_entry(pk), robust=True)
    return entry


class BrokerUnreachable(ConnectionError):
    pass


def _probe_broker(app) -> None:
    """Fail within a second when a Redis broker's port does not answer: the Redis client
    would retry for several seconds, and a user's action must not wait for that."""
    url = urlparse(app.conf.broker_url or "")
    if url.scheme not in ("redis", "rediss"):
        return
    try:
        socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), 1).close()
    except OSError as exc:
        raise BrokerUnreachable(f"broker {url.hostname}:{url.port or 6379}: {exc}") from exc


def _publish(entry: OutboxEntry) -> None:
    from partner_center.celery import app

    _probe_broker(app)
    # retry=False: fail at once when the broker is down; the relay retries with backoff.
    app.send_task(entry.task_name, kwargs=entry.payload, task_id=entry.celery_task_id, retry=False)


def send_entry(pk: int) -> bool:
    """Hand one pending entry to the broker; True when sent. Never raises."""
    try:
        with transaction.atomic():
            entry = (
                OutboxEntry.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=OutboxEntry.State.PENDING)
                .first()
            )
            if entry is None:  # sent by someone else, or locked by a relay right now
                return False
            return _send_locked(entry)
    except Exception:  # noqa: BLE001 - the database itself may be away; the relay retries
        log.exception("outbox entry %s could not be sent", pk)
        return False


def _send_locked(entry: OutboxEntry) -> bool:
    now = timezone.now()
    try:
        _publish(entry)
    except Exception as exc:  # noqa: BLE001 - any broker error
        entry.attempts += 1
        entry.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if entry.attempts >= MAX_ATTEMPTS:
            entry.state = OutboxEntry.State.FAILED
        entry.next_attempt_at = now + backoff(entry.attempts)
        entry.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
        log.warning(
            "outbox entry %s (%s) not sent, attempt %s: %s",
            entry.pk,
            entry.task_name,
            entry.attempts,
            entry.last_error,
        )
        return False
    # Conditional: a task that already ran to its end (marked done) stays done.
    OutboxEntry.objects.filter(pk=entry.pk, state=OutboxEntry.State.PENDING).update(
        attempts=entry.attempts + 1, state=OutboxEntry.State.SENT, sent_at=now
    )
    entry.attempts += 1
    entry.state = OutboxEntry.State.SENT
    entry.sent_at = now
    return True


def relay_due(*, limit: int = BATCH) -> dict:
    """Send the entries that are due (the relay). Stops at the first broker failure: the
    others wait for their next attempt instead of each waiting for a dead broker."""
    sent = failed = 0
    now = timezone.now()
    with transaction.atomic():
        entries = list(
            OutboxEntry.objects.select_for_update(skip_locked=True)
            .filter(state=OutboxEntry.State.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")[:limit]
        )
        for index, entry in enumerate(entries):
            if _send_locked(entry):
                sent += 1
                continue
            failed += 1
            # The broker is down: the rest wait as long as this one, untried.
            rest = [e.pk for e in entries[index + 1 :]]
            OutboxEntry.objects.filter(pk__in=rest).update(next_attempt_at=entry.next_attempt_at)
            break
    return {"sent": sent, "failed": failed}


def retry_now(*, actor, entry_ids) -> int:
    """Admin action: send entries again now (waiting, given up, or sent but never done,
    e.g. the task raised). Done entries are left alone: their task ran."""
    return (
        OutboxEntry.objects.filter(pk__in=list(entry_ids))
        .exclude(state=OutboxEntry.State.DONE)
        .update(state=OutboxEntry.State.PENDING, next_attempt_at=timezone.now())
    )


def mark_done(task_id: str | None) -> None:
    pk = entry_pk(task_id)
    if not pk:
        return
    entry = OutboxEntry.objects.filter(pk=pk).exclude(state=OutboxEntry.State.DONE).first()
    if entry is None:
        return
    # Arguments named secret_* (a confirmation code) are not kept once the task has run.
    payload = {k: ("" if k.startswith("secret_") else v) for k, v in entry.payload.items()}
    OutboxEntry.objects.filter(pk=pk).update(
        state=OutboxEntry.State.DONE, done_at=timezone.now(), payload=payload
    )


def is_done(task_id: str | None) -> bool:
    pk = entry_pk(task_id)
    return bool(pk) and OutboxEntry.objects.filter(pk=pk, state=OutboxEntry.State.DONE).exists()


def entry_pk(task_id: str | None) -> int | None:
    if task_id and task_id.startswith("outbox-"):
        tail = task_id[len("outbox-") :]
        if tail.isdigit():
            return int(tail)
    return None


def oldest_due_age(now=None) -> float | None:
    """Seconds since the oldest pending entry became due (None: nothing due)."""
    now = now or timezone.now()
    first = (
        OutboxEntry.objects.filter(state=OutboxEntry.State.PENDING, next_attempt_at__lte=now)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return (now - first).total_seconds() if first else None


def purge_done(*, older_than: timedelta = timedelta(days=7)) -> int:
    cutoff = timezone.now() - older_than
    deleted, _ = OutboxEntry.objects.filter(
        state__in=[OutboxEntry.State.DONE, OutboxEntry.State.SENT], created_at__lt=cutoff
    ).delete()
    return deleted
