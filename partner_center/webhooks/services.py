"""Every write of the webhooks app: endpoints (register, change, delete, rotate the secret),
deliveries (one attempt under a lease, retries with backoff, disabling an endpoint that
keeps failing, redelivery by hand).

A delivery is attempted by the Celery task `deliver` (queue "webhooks"), queued through the
outbox. An attempt takes the delivery row's lock only to claim it (state `sending`, a lease,
the attempt number) and to record the outcome; the HTTP request runs between the two, outside
any transaction. A second message for the same delivery finds it claimed, delivered or not
yet due and does nothing: one delivery row is never sent twice at once. The sweep
`retry_due` queues the retries that are due and takes back the attempts of a worker that
died (lease run out)."""

from __future__ import annotations

import http.client
import json
import logging
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError

from . import addresses
from .event_types import EventType
from .events import DELIVER_TASK, envelope
from .models import DeliveryAttempt, WebhookDelivery, WebhookEndpoint
from .permissions import MANAGE_WEBHOOKS
from .signing import new_secret, signature

log = logging.getLogger(__name__)

MAX_ENDPOINTS_PER_PARTNER = 10
TIMEOUT_SECONDS = 5
MAX_ATTEMPTS = 8  # the first try and 7 retries: 1, 2, 4 … 64 minutes apart (about 2 hours)
BACKOFF_FIRST = timedelta(minutes=1)
LEASE = timedelta(seconds=60)  # far longer than an attempt (timeouts of 5 s)
DISABLE_AFTER_FAILED_DELIVERIES = 10  # deliveries given up in a row
DISABLE_AFTER_FAILING_FOR = timedelta(hours=24)  # or failing this long without a success
EXCERPT_BYTES = 1024
USER_AGENT = "PartnerCenter-Webhooks/1"
RETRY_STATUSES = frozenset({408, 429})

S = WebhookDelivery.State


def backoff(attempts: int) -> timedelta:
    """Wait after `attempts` failed attempts: 1, 2, 4, 8 … minutes."""
    return BACKOFF_FIRST * 2 ** max(0, attempts - 1)


# ---------------------------------------------------------------- endpoints


def _clean_types(event_types) -> list[str]:
    chosen = []
    for value in event_types or ():
        if value not in EventType.values:
            raise DomainError(
                _("Unknown event type: %(type)s.") % {"type": value},
                field="event_types",
                code="unknown_event_type",
            )
        if value not in chosen:
            chosen.append(value)
    # Every type chosen = all types, also those added later.
    return [] if set(chosen) == set(EventType.values) else chosen


def endpoint_create(
    *,
    actor,
    partner,
    url: str,
    event_types=(),
    description: str = "",
    is_active: bool = True,
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it and its signing secret (shown to the user once)."""
    require(actor, MANAGE_WEBHOOKS, partner_id=partner.pk)
    addresses.check_url(url)
    types = _clean_types(event_types)
    with transaction.atomic():
        type(partner).objects.select_for_update().filter(pk=partner.pk).first()
        if WebhookEndpoint.objects.filter(partner=partner).count() >= MAX_ENDPOINTS_PER_PARTNER:
            raise DomainError(
                _("A partner may register at most %(count)s endpoints.")
                % {"count": MAX_ENDPOINTS_PER_PARTNER},
                code="too_many_endpoints",
            )
        secret = new_secret()
        endpoint = WebhookEndpoint.objects.create(
            partner=partner,
            url=url,
            event_types=types,
            description=description,
            is_active=is_active,
            secret=secret,
            created_by=actor,
        )
        record_event(
            actor=actor,
            subject=endpoint,
            verb=Verb.WEBHOOK_CREATED,
            data={"url": url, "event_types": types},
        )
    return endpoint, secret


def endpoint_update(*, actor, endpoint: WebhookEndpoint, **changes) -> WebhookEndpoint:
    """Change `url`, `event_types`, `description` or `is_active`. Turning an endpoint on
    again starts its failure count afresh."""
    require(actor, MANAGE_WEBHOOKS, partner_id=endpoint.partner_id)
    allowed = {"url", "event_types", "description", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "url" in changes and changes["url"] != endpoint.url:
        addresses.check_url(changes["url"])
    if "event_types" in changes:
        changes["event_types"] = _clean_types(changes["event_types"])
    with transaction.atomic():
        current = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        fields = [name for name, value in changes.items() if getattr(current, name) != value]
        for name in fields:
            setattr(current, name, changes[name])
        if "is_active" in fields and current.is_active:
            current.consecutive_failures = 0
            current.failing_since = None
            current.disabled_at = None
            current.disabled_reason = ""
            fields += ["consecutive_failures", "failing_since", "disabled_at", "disabled_reason"]
        if fields:
            current.save(update_fields=fields)
            record_event(
                actor=actor,
                subject=current,
                verb=Verb.WEBHOOK_UPDATED,
                data={n: changes[n] for n in changes if n in fields},
            )
    return current


def endpoint_rotate_secret(*, actor, endpoint: WebhookEndpoint) -> str:
    """A new signing secret (the old one stops working at once); returns it, shown once."""
    require(actor, MANAGE_WEBHOOKS, partner_id=endpoint.partner_id)
    secret = new_secret()
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            secret=secret, secret_rotated_at=timezone.now()
        )
        record_event(actor=actor, subject=endpoint, verb=Verb.WEBHOOK_SECRET_ROTATED)
    endpoint.secret = secret
    return secret


def endpoint_delete(*, actor, endpoint: WebhookEndpoint) -> None:
    require(actor, MANAGE_WEBHOOKS, partner_id=endpoint.partner_id)
    with transaction.atomic():
        record_event(
            actor=actor, subject=endpoint, verb=Verb.WEBHOOK_DELETED, data={"url": endpoint.url}
        )
        endpoint.delete()


# ---------------------------------------------------------------- redelivery by hand


def delivery_redeliver(*, actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the delivery's event to its endpoint again, as a new delivery (its own id and
    attempts); the receiver recognises the event by the body's `id`."""
    from partner_center.outbox.services import enqueue

    endpoint = delivery.endpoint
    require(actor, MANAGE_WEBHOOKS, partner_id=endpoint.partner_id)
    if not endpoint.is_active:
        raise DomainError(
            _("The endpoint is turned off: turn it on before redelivering."),
            code="endpoint_inactive",
        )
    with transaction.atomic():
        again = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id=delivery.event_id,
            redelivery_of=delivery,
            requested_by=actor,
        )
        record_event(
            actor=actor,
            subject=endpoint,
            verb=Verb.WEBHOOK_REDELIVERED,
            data={"delivery": delivery.pk, "new_delivery": again.pk},
        )
        enqueue(DELIVER_TASK, {"delivery_id": again.pk})
    return again


# ---------------------------------------------------------------- one attempt


@dataclass
class Outcome:
    status_code: int | None = None
    latency_ms: int = 0
    excerpt: str = ""
    error: str = ""
    retriable: bool = True

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address the guard checked, whatever DNS answers now."""

    def __init__(self, host, port, ip, timeout):
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self):
        self.sock = addresses.connect_to(self._ip, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS; the certificate is checked against the URL's host name."""

    def __init__(self, host, port, ip, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._ip = ip

    def connect(self):
        sock = addresses.connect_to(self._ip, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def request_headers(delivery: WebhookDelivery, body: bytes, now: datetime) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-PC-Event": delivery.event.type,
        "X-PC-Delivery": str(delivery.pk),
        "X-PC-Signature": signature(delivery.endpoint.secret, int(now.timestamp()), body),
    }


def _post(delivery: WebhookDelivery, now: datetime) -> Outcome:
    """POST the event to the endpoint once; never follows a redirect."""
    endpoint = delivery.endpoint
    body = json.dumps(envelope(delivery.event), ensure_ascii=False, separators=(",", ":"))
    data = body.encode()
    try:
        host, port, ip = addresses.resolve_public(endpoint.url)
    except DomainError as exc:  # DNS now points elsewhere (rebinding) or does not answer
        return Outcome(error=str(exc.message), retriable=exc.code == "url_unresolvable")
    parts = urlsplit(endpoint.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = (
        _PinnedHTTPSConnection if parts.scheme.lower() == "https" else _PinnedHTTPConnection
    )
    connection = connection_class(host, port, ip, TIMEOUT_SECONDS)
    started = time.monotonic()
    try:
        connection.request("POST", path, body=data, headers=request_headers(delivery, data, now))
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", errors="replace")
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(
            latency_ms=int((time.monotonic() - started) * 1000),
            error=f"{type(exc).__name__}: {exc}"[:500],
        )
    finally:
        connection.close()
    outcome = Outcome(
        status_code=status,
        latency_ms=int((time.monotonic() - started) * 1000),
        excerpt=excerpt[:EXCERPT_BYTES],
        retriable=status >= 500 or status in RETRY_STATUSES,
    )
    if 300 <= status < 400:
        outcome.error = "redirects are not followed"
    return outcome


def deliver(*, delivery_id: int) -> WebhookDelivery | None:
    """One attempt of a delivery (the Celery task's body). Safe to run twice: a delivery
    that is delivered, given up, claimed by a live attempt or not yet due is left alone."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint", "event")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.state not in (S.PENDING, S.SENDING):
            return delivery
        if delivery.state == S.SENDING and delivery.lease_expires_at > now:
            return delivery  # another worker's attempt is running
        if delivery.state == S.PENDING and delivery.next_attempt_at > now + timedelta(seconds=5):
            return delivery  # an early or repeated message: the sweep queues it when due
        if not delivery.endpoint.is_active:
            delivery.state = S.FAILED
            delivery.finished_at = now
            delivery.last_error = "endpoint turned off"
            delivery.save(update_fields=["state", "finished_at", "last_error"])
            return delivery
        delivery.state = S.SENDING
        delivery.attempts += 1
        delivery.lease_expires_at = now + LEASE
        delivery.save(update_fields=["state", "attempts", "lease_expires_at"])
    number = delivery.attempts
    outcome = _post(delivery, now)
    return _record(delivery.pk, number, outcome, started_at=now)


def _record(
    delivery_id: int, number: int, outcome: Outcome, *, started_at
) -> WebhookDelivery | None:
    """Log the attempt and move the delivery on (delivered, a retry later, or given up)."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:  # its endpoint was deleted meanwhile
            return None
        if delivery.state != S.SENDING or delivery.attempts != number:
            log.warning(
                "webhook delivery %s: attempt %s ended after its lease", delivery_id, number
            )
            return delivery
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=number,
            started_at=started_at,
            status_code=outcome.status_code,
            latency_ms=outcome.latency_ms,
            response_excerpt=outcome.excerpt,
            error=outcome.error,
            succeeded=outcome.succeeded,
        )
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error
        delivery.lease_expires_at = None
        if outcome.succeeded:
            delivery.state = S.DELIVERED
            delivery.finished_at = now
        elif outcome.retriable and number < MAX_ATTEMPTS:
            delivery.state = S.PENDING
            delivery.next_attempt_at = now + backoff(number)
        else:
            delivery.state = S.FAILED
            delivery.finished_at = now
        delivery.save(
            update_fields=[
                "state",
                "finished_at",
                "next_attempt_at",
                "last_status_code",
                "last_error",
                "lease_expires_at",
            ]
        )
        _endpoint_health(delivery, outcome, now)
    return delivery


def _endpoint_health(delivery: WebhookDelivery, outcome: Outcome, now: datetime) -> None:
    """Count the endpoint's failures; turn it off (and tell the partner admins) after
    `DISABLE_AFTER_FAILED_DELIVERIES` deliveries given up in a row, or when it has failed
    for `DISABLE_AFTER_FAILING_FOR` without a success."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    if outcome.succeeded:
        if endpoint.consecutive_failures or endpoint.failing_since:
            endpoint.consecutive_failures = 0
            endpoint.failing_since = None
            endpoint.save(update_fields=["consecutive_failures", "failing_since"])
        return
    endpoint.failing_since = endpoint.failing_since or now
    if delivery.state == S.FAILED:
        endpoint.consecutive_failures += 1
    fields = ["failing_since", "consecutive_failures"]
    too_many = endpoint.consecutive_failures >= DISABLE_AFTER_FAILED_DELIVERIES
    too_long = now - endpoint.failing_since >= DISABLE_AFTER_FAILING_FOR
    if endpoint.is_active and (too_many or too_long):
        endpoint.is_active = False
        endpoint.disabled_at = now
        endpoint.disabled_reason = (
            f"{endpoint.consecutive_failures} failed deliveries in a row"
            if too_many
            else f"failing since {endpoint.failing_since:%Y-%m-%d %H:%M} UTC"
        )
        fields += ["is_active", "disabled_at", "disabled_reason"]
        endpoint.save(update_fields=fields)
        record_event(
            actor=None,
            subject=endpoint,
            verb=Verb.WEBHOOK_DISABLED,
            reason=endpoint.disabled_reason,
        )
        _notify_disabled(endpoint)
        return
    endpoint.save(update_fields=fields)


def _notify_disabled(endpoint: WebhookEndpoint) -> None:
    from partner_center.notifications.messages import msg
    from partner_center.notifications.recipients import partner_admins
    from partner_center.notifications.services import notify

    notify(
        recipients=partner_admins(endpoint.partner_id),
        kind="webhooks.endpoint_disabled",
        title=msg("Webhook endpoint turned off: %(url)s", url=endpoint.url),
        body=msg(
            "Its deliveries kept failing (%(failures)s given up in a row, failing since "
            "%(since)s). Fix the endpoint, turn it on again and redeliver what it missed.",
            failures=endpoint.consecutive_failures,
            since=endpoint.failing_since,
        ),
        link=reverse("webhooks:detail", args=[endpoint.pk]),
    )


# ---------------------------------------------------------------- the sweep


def retry_due(*, now: datetime | None = None, limit: int = 500) -> dict:
    """Queue the attempts that are due (retries after their backoff) and take back the
    attempts whose worker died (lease run out: logged as interrupted, retried)."""
    from partner_center.outbox.services import enqueue

    now = now or timezone.now()
    reaped = 0
    with transaction.atomic():
        stuck = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(state=S.SENDING, lease_expires_at__lt=now)
            .values_list("pk", "attempts")[:limit]
        )
    for pk, number in stuck:
        _record(
            pk,
            number,
            Outcome(error="the attempt was interrupted (worker stopped)"),
            started_at=now,
        )
        reaped += 1
    due = list(
        WebhookDelivery.objects.filter(state=S.PENDING, next_attempt_at__lte=now)
        # A first attempt is queued with its delivery; the sweep only catches one whose
        # message got lost for a long while.
        .exclude(attempts=0, created_at__gt=now - timedelta(minutes=10))
        .order_by("next_attempt_at")
        .values_list("pk", "attempts")[:limit]
    )
    with transaction.atomic():
        for pk, attempts in due:
            enqueue(DELIVER_TASK, {"delivery_id": pk}, key=f"webhook:{pk}:{attempts + 1}")
    return {"queued": len(due), "reaped": reaped}
