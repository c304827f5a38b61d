"""Leases for long jobs (bill PDF exports, PO imports): a job that a worker runs holds a
lease, renewed by its heartbeat; a job whose lease ran out (its worker died, or its message
was lost) is found by `reap` and run again, or failed with a message to its owner after
MAX_ATTEMPTS. A model that uses this has `state`, `attempts`, `heartbeat_at` and
`lease_expires_at`, and a `Lifecycle` with the transitions `start` (queued → running),
`resume` (running → running, a new lease), `requeue` (running → queued) and `fail`."""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=3)  # a heartbeat at least every minute keeps it well alive
MAX_ATTEMPTS = 3
TEMP_PREFIX = "pc-job-"
# Folders of killed jobs: ours, and the bill PDF renderer's (billing/pdf.py).
STALE_TEMP_PREFIXES = (TEMP_PREFIX, "bill-pdf-")


@dataclass(frozen=True)
class JobKind:
    """How to run and reap one kind of job."""

    lifecycle: object  # partner_center.workflow.Lifecycle
    queued: str
    running: str
    task_name: str
    task_kwarg: str  # the task's argument that takes the job's id
    owner_field: str  # the user told when the job is given up
    failed_message: object  # lazy text: why the job failed
    notify_kind: str
    link_name: str  # URL name of the owner's list of these jobs

    @property
    def model(self):
        return self.lifecycle.model


def claim(kind: JobKind, pk: int, *, now=None):
    """Take the job to run it: a queued job, or a running one whose lease ran out (its
    worker died). Returns the locked, updated job, or None when it is not to be run here
    (done, failed, or another worker holds a live lease)."""
    now = now or timezone.now()
    with transaction.atomic():
        job = kind.model._default_manager.select_for_update().filter(pk=pk).first()
        if job is None:
            return None
        if job.state == kind.running and job.lease_expires_at and job.lease_expires_at > now:
            return None  # a live worker runs it
        if job.state not in (kind.queued, kind.running):
            return None
        name = "start" if job.state == kind.queued else "resume"
        kind.lifecycle.apply(
            job,
            name,
            actor=None,
            locked=True,
            changes={
                "attempts": job.attempts + 1,
                "heartbeat_at": now,
                "lease_expires_at": now + LEASE,
            },
            data={"attempt": job.attempts + 1},
        )
        return job


def heartbeat(model, pk: int, **fields) -> int:
    """Renew the lease of a running job (and save `fields`, e.g. its progress)."""
    now = timezone.now()
    qs = model if isinstance(model, QuerySet) else model._default_manager.all()
    return qs.filter(pk=pk, lease_expires_at__isnull=False).update(
        heartbeat_at=now, lease_expires_at=now + LEASE, **fields
    )


def reap(kind: JobKind, *, now=None) -> dict:
    """Jobs whose lease ran out: run again (through the outbox) while attempts remain,
    failed with a message to the owner otherwise. Jobs queued long ago whose message never
    came are queued again too."""
    from django.urls import reverse
    from django.utils import translation

    from partner_center.notifications.messages import as_message
    from partner_center.notifications.services import notify
    from partner_center.outbox.services import enqueue

    now = now or timezone.now()
    requeued = failed = 0
    stale = kind.model._default_manager.filter(
        Q(state=kind.running, lease_expires_at__lt=now)
        | Q(state=kind.queued, created_at__lt=now - 2 * LEASE, heartbeat_at__isnull=True)
        | Q(state=kind.queued, heartbeat_at__lt=now - 2 * LEASE)
    ).values_list("pk", flat=True)[:200]
    for pk in list(stale):
        with transaction.atomic():
            job = kind.model._default_manager.select_for_update(skip_locked=True).filter(pk=pk)
            job = job.first()
            if job is None or job.state not in (kind.queued, kind.running):
                continue
            if job.state == kind.running and job.lease_expires_at >= now:
                continue
            if job.attempts >= MAX_ATTEMPTS:
                owner = getattr(job, kind.owner_field)
                language = getattr(job, "language", "") or "zh-hans"
                with translation.override(language):
                    reason = str(kind.failed_message)
                kind.lifecycle.apply(
                    job,
                    "fail",
                    actor=None,
                    locked=True,
                    reason=reason,
                    changes=_failure_changes(job, reason, now),
                )
                if owner is not None:
                    # The title in the owner's language when read; the body names the job.
                    with translation.override(owner.language or language):
                        notify(
                            recipients=[owner],
                            kind=kind.notify_kind,
                            title=as_message(kind.failed_message) or reason,
                            body=str(job),
                            link=reverse(kind.link_name),
                        )
                failed += 1
                continue
            if job.state == kind.running:
                kind.lifecycle.apply(
                    job,
                    "requeue",
                    actor=None,
                    locked=True,
                    changes={"lease_expires_at": None, "heartbeat_at": now},
                )
            else:
                type(job)._default_manager.filter(pk=job.pk).update(heartbeat_at=now)
            enqueue(
                kind.task_name,
                {kind.task_kwarg: job.pk},
                key=f"{kind.task_name}:{job.pk}:reap-{job.attempts}-{now.timestamp():.0f}",
            )
            requeued += 1
    return {"requeued": requeued, "failed": failed}


def _failure_changes(job, reason: str, now) -> dict:
    changes = {"lease_expires_at": None, "finished_at": now}
    for name in ("failure_reason", "error"):
        if hasattr(job, name):
            changes[name] = reason
    return changes


def job_temp_dir() -> tempfile.TemporaryDirectory:
    """A temporary folder for one job (removed by the caller's `with`; stale ones, left
    by a killed process, by `sweep_temp_dirs`)."""
    return tempfile.TemporaryDirectory(prefix=TEMP_PREFIX)


def sweep_temp_dirs(*, older_than: timedelta = timedelta(hours=2)) -> int:
    """Remove job folders a killed worker left in the temp directory."""
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    root = Path(tempfile.gettempdir())
    for path in (p for prefix in STALE_TEMP_PREFIXES for p in root.glob(f"{prefix}*")):
        try:
            if path.is_dir() and path.stat().st_mtime < cutoff:
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed
