from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partner_center.fields import partner_ref, user_ref


class Event(models.Model):
    """One thing that happened to one object: a state transition, an update, an access.

    The timelines users see are these rows; so is the audit log. Rows are never changed:
    on PostgreSQL a trigger refuses UPDATE and DELETE."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = user_ref(_("who"), on_delete=models.PROTECT)
    actor_label = models.CharField(
        _("acting system"), max_length=100, blank=True, help_text=_("Set when no person acted.")
    )
    partner = partner_ref("+", null=True, blank=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.BigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    verb = models.CharField(_("what"), max_length=64)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.from_state}→{self.to_state}"

    @property
    def who(self) -> str:
        return str(self.actor) if self.actor_id else (self.actor_label or "system")
