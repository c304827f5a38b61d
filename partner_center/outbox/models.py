"""One row per side effect (a Celery task to run) requested by a change: written in the
same transaction as the change, delivered to the broker after commit by `relay`."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxEntry(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")  # the relay hands it to the broker
        SENT = "sent", _("Sent to the broker")  # a worker runs it (or ran it)
        DONE = "done", _("Done")  # the task ran to its end (a redelivery is skipped)
        FAILED = "failed", _("Given up")  # too many failed attempts; an admin may retry

    task_name = models.CharField(_("task"), max_length=200)
    payload = models.JSONField(_("arguments"), default=dict, blank=True)
    dedup_key = models.CharField(_("key"), max_length=200, null=True, blank=True, unique=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox entry")
        verbose_name_plural = _("outbox entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="outbox_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk} ({self.state})"

    @property
    def celery_task_id(self) -> str:
        return f"outbox-{self.pk}"


class Heartbeat(models.Model):
    """The last time a periodic process showed it is alive (`beat`: a beat task)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
