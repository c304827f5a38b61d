"""Models of the pipeline tools (issue [5]): the stage probabilities behind the weighted
pipeline, and each partner's HO profile that lead routing reads (`routing.py`)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partner_center.fields import user_ref

from .catalog import Stage

# The stage of a verified PO or accepted HO before its first progress update.
NO_STAGE = ""
# Defaults when admin has not set a stage's probability (percent).
DEFAULT_PROBABILITIES = {
    NO_STAGE: 10,
    Stage.CONTACTING: 25,
    Stage.SOLUTION: 50,
    Stage.BIDDING: 75,
    Stage.WON: 100,
    Stage.LOST: 0,
}
STAGE_CHOICES = [(NO_STAGE, _("No stage reported yet")), *Stage.choices]


class StageProbability(models.Model):
    """How likely a deal in this stage is to be won, in percent: the weighted pipeline is
    the sum of amount × probability. Set in admin; every change is kept in admin's history."""

    stage = models.CharField(
        _("stage"), max_length=16, choices=STAGE_CHOICES, unique=True, blank=True
    )
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)
    updated_by = user_ref()

    class Meta:
        verbose_name = _("stage probability")
        verbose_name_plural = _("stage probabilities")
        ordering = ["probability", "stage"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__lte=100), name="stage_probability_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.probability}%"


class HOProfile(models.Model):
    """What a partner declares it serves, for lead routing: industries, regions, products.
    The rest of its HO profile (labels held, load, acceptance and SLA record) is computed."""

    partner = models.OneToOneField(
        "accounts.Partner",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="ho_profile",
    )
    industries = models.JSONField(_("industries served"), default=list, blank=True)
    regions = models.JSONField(_("regions served"), default=list, blank=True)
    products = models.JSONField(_("products sold"), default=list, blank=True)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)
    updated_by = user_ref()

    class Meta:
        verbose_name = _("HO profile")
        verbose_name_plural = _("HO profiles")

    def __str__(self) -> str:
        return str(self.partner)
