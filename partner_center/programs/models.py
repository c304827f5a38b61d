from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partner_center.fields import partner_ref, user_ref


class PCEApplication(models.Model):
    """A partner's application to the PCE program (Partner Customer Engagement)."""

    class State(models.TextChoices):
        APPLIED = "applied", _("Applied, awaiting BD")  # BD has not decided yet
        APPROVED = (
            "approved",
            pgettext_lazy("PCE status", "Member"),
        )  # may share POs and receive HOs
        REJECTED = "rejected", _("Rejected")  # BD said no; the partner may apply again

    partner = partner_ref("pce_applications", on_delete=models.CASCADE)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.APPLIED
    )
    motivation = models.TextField(_("why the partner applies"), blank=True)
    industries = models.CharField(_("industries served"), max_length=200, blank=True)
    rules_accepted_at = models.DateTimeField(_("program rules accepted at"), null=True, blank=True)
    applied_by = user_ref(_("applied by"))
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    decided_by = user_ref(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("PCE application")
        verbose_name_plural = _("PCE applications")
        ordering = ["-applied_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(state__in=["applied", "approved"]),
                name="one_open_pce_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_state_display()}"
