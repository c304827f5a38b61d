"""Partner events (the feed and the webhooks' payloads), the partners' webhook endpoints,
and the deliveries of events to endpoints with one log row per attempt."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partner_center.fields import optional_ref, partner_ref, user_ref

from .event_types import EventType


class PartnerEvent(models.Model):
    """Something a partner's systems may want to know, as its payload is sent. The id is the
    feed's cursor: ids only grow, so `?after=<id>` never misses or repeats an event."""

    partner = partner_ref("+", on_delete=models.CASCADE)
    type = models.CharField(_("event type"), max_length=40, choices=EventType.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    payload = models.JSONField(_("payload"), default=dict)

    class Meta:
        verbose_name = _("partner event")
        verbose_name_plural = _("partner events")
        ordering = ["id"]
        indexes = [models.Index(fields=["partner", "id"], name="webhooks_event_partner_id")]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"


class WebhookEndpoint(models.Model):
    """A URL of the partner's system that receives the events of the chosen types."""

    partner = partner_ref("webhook_endpoints", on_delete=models.CASCADE)
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Empty: every type, also those added later.
    event_types = models.JSONField(_("event types"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    secret = models.CharField(_("signing secret"), max_length=80)
    created_by = user_ref(_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    secret_rotated_at = models.DateTimeField(_("secret created at"), default=timezone.now)
    # Failed attempts since the last success, and when that streak began.
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["id"]

    # What the service keeps on an endpoint (when made, its health): shown, never edited.
    KEPT_FIELDS = (
        "created_at",
        "secret_rotated_at",
        "consecutive_failures",
        "failing_since",
        "disabled_at",
        "disabled_reason",
    )

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types

    @property
    def secret_hint(self) -> str:
        return f"{self.secret[:10]}…" if self.secret else ""


class WebhookDelivery(models.Model):
    """One event sent to one endpoint (its id is the `X-PC-Delivery` header, the same on
    every retry). The state changes only under the row's lock: one attempt at a time."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")  # its next attempt is due at next_attempt_at
        SENDING = "sending", _("Sending")  # an attempt holds the lease
        DELIVERED = "delivered", _("Delivered")  # the endpoint answered 2xx
        FAILED = "failed", _("Failed")  # given up (attempts used, or a final answer)

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.ForeignKey(
        PartnerEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("last status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    redelivery_of = optional_ref("self", _("redelivery of"), on_delete=models.SET_NULL)
    requested_by = user_ref(_("requested by"))

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state__in=["pending", "sending"]),
                name="webhooks_delivery_open",
            ),
            models.Index(fields=["endpoint", "-id"], name="webhooks_delivery_endpoint"),
        ]

    def __str__(self) -> str:
        return f"{self.event.type if self.event_id else ''} → #{self.endpoint_id} ({self.state})"


class DeliveryAttempt(models.Model):
    """The log of one HTTP attempt of a delivery."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        verbose_name=_("delivery"),
        on_delete=models.CASCADE,
        related_name="attempt_log",
    )
    number = models.PositiveIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("sent at"), default=timezone.now)
    status_code = models.PositiveIntegerField(_("status"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), default=0)
    response_excerpt = models.CharField(_("response excerpt"), max_length=1024, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhooks_attempt_once")
        ]

    # An attempt's log as the admin and the API show it.
    LOG_FIELDS = (
        "number",
        "started_at",
        "status_code",
        "latency_ms",
        "response_excerpt",
        "error",
        "succeeded",
    )

    def __str__(self) -> str:
        return f"#{self.delivery_id}/{self.number} {self.status_code or self.error}"
