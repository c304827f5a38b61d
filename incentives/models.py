"""Performance and incentives.

- `ProgramPeriod`: one period of the incentive program with its rates and rules; admins
  edit these in Django admin, the code reads them (no rate is a constant in code).
- `PerformanceRecord`: performance (业绩) credited to a partner, one row per order of its
  customers, with the billing period it counts for and, for a tier-2 reseller, its
  distributor at that moment.
- `PeriodClose` / `PeriodStatement`: when a billing period closes, each selling partner's
  estimated incentive and indicators for it are written once and sent to its subscribers.
- `IncentiveApplication`: a PCE opportunity-sharing incentive applied for one opportunity and
  one offering (product), from review to payment; its steps are in `transitions.py`.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partner_center.fields import optional_ref, partner_ref, user_ref
from partner_center.money import CENT, ZERO, money_field  # noqa: F401
from partner_center.money import to_cents as money  # noqa: F401
from partner_center.validators import validate_date_range

HUNDRED = Decimal("100")


def percent_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        **kwargs,
    )


class ProgramPeriod(models.Model):
    """One period of the incentive program. Its rates apply to the performance of the
    billing periods it covers and to the PCE applications whose delivery ended in it."""

    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    opportunity_rate = percent_field(
        _("opportunity-sharing incentive rate (%)"),
        help_text=_("Share of the performance basis paid for a PCE opportunity application."),
    )
    opportunity_cap = money_field(
        _("cap per application"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The most one application can earn before tax; empty for no cap."),
    )
    performance_rate = percent_field(
        _("performance incentive rate (%)"),
        help_text=_("Share of a billing period's performance estimated as incentive."),
    )
    performance_threshold = money_field(
        _("performance threshold"),
        default=ZERO,
        validators=[MinValueValidator(0)],
        help_text=_("A billing period earns the performance incentive from this performance on."),
    )
    monthly_target = money_field(
        _("monthly performance target"),
        default=ZERO,
        validators=[MinValueValidator(0)],
        help_text=_("The indicator that achievement is measured against; 0 for none."),
    )
    tax_rate = percent_field(
        _("tax rate (%)"),
        default=Decimal("6.00"),
        help_text=_("Tax on the incentive amount (the invoice tax rate)."),
    )
    rules_zh = models.TextField(_("rules (Chinese)"), blank=True)
    rules_en = models.TextField(_("rules (English)"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Who changed what, and when (django-simple-history; shown in admin).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("program period")
        verbose_name_plural = _("program periods")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="program_period_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(opportunity_rate__gte=0, opportunity_rate__lte=100)
                & Q(performance_rate__gte=0, performance_rate__lte=100)
                & Q(tax_rate__gte=0, tax_rate__lte=100),
                name="program_period_rates_are_percentages",
            ),
        ]

    # The period and its terms, as the admin's list and the API show them.
    TERMS = (
        "name",
        "starts_on",
        "ends_on",
        "opportunity_rate",
        "opportunity_cap",
        "performance_rate",
        "performance_threshold",
        "monthly_target",
        "tax_rate",
    )

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%Y-%m-%d} – {self.ends_on:%Y-%m-%d})"

    def clean(self):
        for name in ("starts_on", "ends_on"):
            try:
                validate_date_range(getattr(self, name))
            except ValidationError as exc:
                raise ValidationError({name: exc.messages}) from exc
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError({"ends_on": _("The period ends before it starts.")})
            overlapping = ProgramPeriod.objects.filter(
                starts_on__lte=self.ends_on, ends_on__gte=self.starts_on
            ).exclude(pk=self.pk)
            other = overlapping.first()
            if other is not None:
                raise ValidationError(
                    {"starts_on": _("This period overlaps %(other)s.") % {"other": other}}
                )

    @property
    def rules(self) -> str:
        return self.rules_en if (get_language() or "").startswith("en") else self.rules_zh


class PerformanceRecord(models.Model):
    """Performance credited to a partner: one row per order of one of its customers. A
    purchase, renewal or upgrade adds, an unsubscribe or downgrade takes away; what a
    voucher paid does not count [our rule]."""

    order = models.OneToOneField(
        "customers.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="performance",
    )
    partner = partner_ref("performance_records")
    distributor = partner_ref(
        "reseller_performance_records",
        verbose_name=_("distributor"),
        null=True,
        blank=True,
        help_text=_("For a tier-2 reseller: its distributor when the order was formed."),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    product = models.ForeignKey(
        "customers.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    order_type = models.CharField(_("order type"), max_length=16)
    formed_at = models.DateTimeField(_("formed at"))
    billing_period = models.CharField(_("billing period"), max_length=7)
    order_amount = money_field(_("order amount"), help_text=_("Negative for a refund."))
    voucher_amount = money_field(_("paid by voucher"), default=ZERO)
    amount = money_field(
        _("performance"), help_text=_("The order amount less what a voucher paid; signed.")
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="performance_records",
        help_text=_(
            "The verified PO or accepted HO of the same partner, customer and product that "
            "counted before the order was formed."
        ),
    )
    credited_at = models.DateTimeField(_("credited at"), default=timezone.now)

    class Meta:
        verbose_name = _("performance record")
        verbose_name_plural = _("performance records")
        ordering = ["-formed_at", "-id"]
        indexes = [
            models.Index(fields=["partner", "billing_period", "-formed_at"], name="perf_partner"),
            models.Index(
                fields=["distributor", "billing_period", "partner"], name="perf_distributor"
            ),
            models.Index(fields=["billing_period"], name="perf_period"),
            models.Index(fields=["opportunity", "product"], name="perf_opportunity"),
        ]

    def __str__(self) -> str:
        return f"{self.billing_period} · {self.partner_id} · {self.amount}"

    @property
    def is_refund(self) -> bool:
        return self.amount < 0 or self.order_amount < 0


class PeriodClose(models.Model):
    """A billing period was closed: its statements were written (once) and sent."""

    period = models.CharField(_("billing period"), max_length=7, unique=True)
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    statements = models.PositiveIntegerField(_("statements written"), default=0)

    class Meta:
        verbose_name = _("closed billing period")
        verbose_name_plural = _("closed billing periods")
        ordering = ["-period"]

    def __str__(self) -> str:
        return self.period


class PeriodStatement(models.Model):
    """A partner's estimated incentive and indicators for one closed billing period,
    computed from its performance and the program period's rates when the period closed."""

    partner = partner_ref("period_statements", on_delete=models.CASCADE)
    period = models.CharField(_("billing period"), max_length=7)
    program = optional_ref(ProgramPeriod, _("program period"), related_name="statements")
    performance = money_field(_("performance"))
    previous_performance = money_field(_("previous period's performance"), default=ZERO)
    order_count = models.PositiveIntegerField(pgettext_lazy("count", "orders"), default=0)
    customer_count = models.PositiveIntegerField(_("customers with orders"), default=0)
    new_customer_count = models.PositiveIntegerField(_("new customers"), default=0)
    opportunity_count = models.PositiveIntegerField(
        _("opportunities counted"),
        default=0,
        help_text=_("Verified POs and accepted HOs of the period."),
    )
    target = money_field(_("target"), default=ZERO)
    threshold = money_field(_("threshold"), default=ZERO)
    rate = percent_field(_("rate (%)"), default=ZERO)
    estimated_incentive = money_field(_("estimated incentive"), default=ZERO)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    notified_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("period statement")
        verbose_name_plural = _("period statements")
        ordering = ["-period", "partner_id"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "period"], name="one_statement_per_period"),
            models.CheckConstraint(
                condition=Q(estimated_incentive__gte=0), name="statement_estimate_not_negative"
            ),
        ]
        indexes = [
            models.Index(
                fields=["period"], condition=Q(notified_at__isnull=True), name="statement_unsent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} · {self.period}"

    @property
    def achievement(self) -> Decimal | None:
        """Performance as a percentage of the target (None without a target)."""
        if not self.target:
            return None
        return (self.performance * HUNDRED / self.target).quantize(Decimal("0.1"))

    @property
    def growth(self) -> Decimal | None:
        """Change against the previous period, in percent (None when that was zero)."""
        if not self.previous_performance:
            return None
        return (
            (self.performance - self.previous_performance)
            * HUNDRED
            / abs(self.previous_performance)
        ).quantize(Decimal("0.1"))

    @property
    def threshold_reached(self) -> bool:
        return self.performance >= self.threshold


class IncentiveApplication(models.Model):
    """A PCE opportunity-sharing incentive for one opportunity and one offering. BD reviews
    it and publishes the reconciliation (basis × rate, tax); the partner confirms or
    disputes; a confirmed incentive is requested for payment and completed when paid."""

    class State(models.TextChoices):
        UNDER_REVIEW = "under_review", _("Under review")  # BD checks it (again, after a dispute)
        PUBLICITY = "publicity", _("Published, pending confirmation")  # the partner checks it
        CONFIRMED = "confirmed", _("Confirmed, payment not requested")  # amounts agreed
        PAYMENT_REQUESTED = "payment_requested", _("Payment requested")  # the vendor pays
        COMPLETED = "completed", _("Completed")  # paid; final
        REJECTED = "rejected", _("Rejected")  # BD refused it; final

    partner = partner_ref("incentive_applications")
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.PROTECT,
        related_name="incentive_applications",
    )
    offering = models.CharField(_("offering"), max_length=24)
    state = models.CharField(
        _("state"), max_length=24, choices=State.choices, default=State.UNDER_REVIEW
    )
    program = models.ForeignKey(
        ProgramPeriod,
        verbose_name=_("program period"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    delivery_completed_on = models.DateField(_("delivery completed on"))
    note = models.TextField(_("note"), blank=True)
    applied_by = user_ref(_("applied by"), blank=False)
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)

    # The reconciliation summary BD publishes (激励汇总)
    basis = money_field(_("performance basis"), null=True, blank=True)
    rate = percent_field(_("rate (%)"), null=True, blank=True)
    amount = money_field(_("incentive before tax"), null=True, blank=True)
    tax_rate = percent_field(_("tax rate (%)"), null=True, blank=True)
    tax = money_field(_("tax"), null=True, blank=True)
    total = money_field(_("total incl. tax"), null=True, blank=True)
    capped = models.BooleanField(_("capped"), default=False)
    reconciliation_note = models.TextField(_("reconciliation note"), blank=True)
    published_at = models.DateTimeField(
        pgettext_lazy("incentive publicity", "published at"), null=True, blank=True
    )
    published_by = user_ref(pgettext_lazy("incentive publicity", "published by"))
    # The partner's answer
    dispute_reason = models.TextField(_("reason for the dispute"), blank=True)
    disputed_at = models.DateTimeField(_("disputed at"), null=True, blank=True)
    dispute_count = models.PositiveSmallIntegerField(_("disputes"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = user_ref(_("confirmed by"))
    # Payment request (申付) and payment
    invoice_no = models.CharField(_("invoice number"), max_length=64, blank=True)
    payment_requested_at = models.DateTimeField(_("payment requested at"), null=True, blank=True)
    payment_requested_by = user_ref(_("payment requested by"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = user_ref(_("marked paid by"))
    payment_reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    rejection_reason = models.TextField(_("reason for the rejection"), blank=True)
    decided_at = models.DateTimeField(_("rejected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("incentive application")
        verbose_name_plural = _("incentive applications")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "offering"], name="one_application_per_offering"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["under_review", "rejected"]) | Q(total__isnull=False),
                name="application_published_has_amounts",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True)
                | Q(basis__gte=0, amount__gte=0, tax__gte=0, total__gte=0),
                name="application_amounts_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "state", "-applied_at"], name="application_partner"),
            models.Index(fields=["state", "applied_at"], name="application_queue"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.opportunity_id} · {self.offering}"

    @property
    def offering_label(self) -> str:
        from opportunities.catalog import PRODUCT_LABELS

        return str(PRODUCT_LABELS.get(self.offering, self.offering))

    @property
    def is_published(self) -> bool:
        return self.total is not None

    @property
    def state_css(self) -> str:
        return {
            "under_review": "info",
            "publicity": "warning",
            "confirmed": "primary",
            "payment_requested": "primary",
            "completed": "success",
            "rejected": "secondary",
        }.get(self.state, "secondary")
