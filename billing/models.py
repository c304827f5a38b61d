"""Partner bills, their export files and invoices.

- `Bill`: what one partner owes the vendor for one billing period (`YYYY-MM`), with the
  overview totals. It is a snapshot: built from the period's orders and consumption by
  `services.bill_generate`, so later changes elsewhere never rewrite a settled bill.
- `BillLine`: one order or consumption record on the bill, with the names copied in.
- `ExportTask`: one PDF export requested by a user, rendered by a Celery worker.
- `Invoice` + `InvoiceLine`: a VAT invoice a partner requests for a settled bill.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partner_center.fields import partner_ref, user_ref
from partner_center.money import money_field as shared_money_field

from .periods import PERIOD_PATTERN, validate_period
from .tax import TAX_RATE, ZERO


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return shared_money_field(verbose_name, max_digits=16, **kwargs)  # bills sum many lines


HALF_FEN = Decimal("0.005")


def adds_up(total: str, *parts: str, minus: tuple[str, ...] = ()) -> Q:
    """`total` equals the sum of `parts` less `minus`. Amounts have two places, so any real
    difference is at least one fen; the half-fen window only absorbs SQLite's binary
    arithmetic (the demo database). On PostgreSQL numeric arithmetic is exact."""
    expression = sum((F(p) for p in parts[1:]), F(parts[0]))
    for name in minus:
        expression = expression - F(name)
    return Q(**{f"{total}__gte": expression - HALF_FEN, f"{total}__lte": expression + HALF_FEN})


class Bill(models.Model):
    """One partner's bill for one billing period."""

    class State(models.TextChoices):
        OPEN = (
            "open",
            pgettext_lazy("bill state", "Open"),
        )  # the period is still running: figures may change
        SETTLED = "settled", _("Settled")  # the period is closed: figures are final

    partner = partner_ref("bills")
    period = models.CharField(_("billing period"), max_length=7, validators=[validate_period])
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    consumption_amount = money_field(
        _("consumption"), default=ZERO, help_text=_("Usage and purchases charged in the period.")
    )
    refund_amount = money_field(
        _("refunds"),
        default=ZERO,
        help_text=_("Money returned for unsubscriptions and downgrades."),
    )
    voucher_amount = money_field(
        _("vouchers used"), default=ZERO, help_text=_("The part of the consumption vouchers paid.")
    )
    amount_due = money_field(
        _("amount due"), default=ZERO, help_text=_("Consumption less refunds and vouchers.")
    )
    tax_amount = money_field(
        _("of which VAT"), default=ZERO, help_text=_("The VAT contained in the amount due.")
    )
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    generated_at = models.DateTimeField(_("generated at"), default=timezone.now)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["-period", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "period"], name="one_bill_per_period"),
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD_PATTERN), name="bill_period_format"
            ),
            models.CheckConstraint(
                condition=adds_up(
                    "amount_due", "consumption_amount", minus=("refund_amount", "voucher_amount")
                ),
                name="bill_amount_due_adds_up",
            ),
            models.CheckConstraint(
                condition=(Q(state="open") & Q(settled_at__isnull=True))
                | (Q(state="settled") & Q(settled_at__isnull=False)),
                name="bill_settled_at_matches_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.partner}"

    @property
    def number(self) -> str:
        return f"B{self.period.replace('-', '')}-{self.pk or 0:06d}"

    @property
    def is_settled(self) -> bool:
        return self.state == self.State.SETTLED

    @property
    def tax_rate(self):
        return TAX_RATE


class BillLine(models.Model):
    """One order or consumption record on a bill. Names are copied in when the bill is
    generated, so the bill reads the same later. `amount` is signed: refunds are negative."""

    class Type(models.TextChoices):
        USAGE = "usage", _("Pay-per-use")  # consumption of on-demand resources
        NEW = "new", _("New purchase")
        RENEWAL = "renewal", _("Renewal")
        UPGRADE = "upgrade", _("Upgrade")
        DOWNGRADE = "downgrade", _("Downgrade")  # money back
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribe")  # money back

    REFUND_TYPES = frozenset({Type.DOWNGRADE, Type.UNSUBSCRIBE})

    bill = models.ForeignKey(
        Bill, on_delete=models.CASCADE, related_name="lines", verbose_name=_("bill")
    )
    occurred_at = models.DateTimeField(_("time"))
    line_type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    customer_name = models.CharField(_("customer"), max_length=200)
    customer_account = models.CharField(_("customer account"), max_length=64, blank=True)
    product_code = models.CharField(_("product code"), max_length=64)
    product_name = models.CharField(_("product"), max_length=200)
    order_no = models.CharField(_("order number"), max_length=64, blank=True)
    source_ref = models.CharField(
        _("source"),
        max_length=80,
        help_text=_("The order or consumption record this line was made from."),
    )
    amount = money_field(_("amount"), help_text=_("Charged (positive) or refunded (negative)."))
    voucher_amount = money_field(_("paid by voucher"), default=ZERO)
    reseller = partner_ref(
        "+",
        verbose_name=_("reseller"),
        null=True,
        blank=True,
        help_text=_("On a distributor's bill: the tier-2 reseller whose customer this is."),
    )
    reseller_name = models.CharField(_("reseller"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bill line")
        verbose_name_plural = _("bill lines")
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bill", "source_ref"], name="one_line_per_source"),
            models.CheckConstraint(
                condition=(Q(line_type__in=["downgrade", "unsubscribe"]) & Q(amount__lte=0))
                | (~Q(line_type__in=["downgrade", "unsubscribe"]) & Q(amount__gte=0)),
                name="bill_line_sign_matches_type",
            ),
            models.CheckConstraint(
                condition=Q(voucher_amount__gte=0)
                & (Q(voucher_amount__lte=F("amount")) | Q(voucher_amount=0)),
                name="bill_line_voucher_within_amount",
            ),
        ]
        indexes = [
            models.Index(fields=["bill", "occurred_at", "id"], name="bill_line_time"),
            models.Index(fields=["bill", "line_type"], name="bill_line_type"),
            models.Index(fields=["bill", "product_code"], name="bill_line_product"),
            models.Index(fields=["bill", "reseller"], name="bill_line_reseller"),
        ]

    def __str__(self) -> str:
        return f"{self.order_no or self.source_ref} · {self.amount}"

    @property
    def is_refund(self) -> bool:
        return self.line_type in self.REFUND_TYPES

    @property
    def record_no(self) -> str:
        """The source's own number (the part after "order:" or "usage:")."""
        return self.source_ref.partition(":")[2] or self.source_ref


def export_upload_to(task: ExportTask, filename: str) -> str:
    return f"billing/exports/{task.partner_id}/{filename}"


class ExportTask(models.Model):
    """A PDF export of a bill: requested in a page or the API, rendered by a Celery worker,
    downloadable by the partner's users until it expires."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")  # waiting for a worker
        RENDERING = "rendering", _("Rendering")  # a worker is building the file
        DONE = "done", _("Ready")  # the file can be downloaded
        FAILED = "failed", _("Failed")  # see the reason; request a new export
        EXPIRED = "expired", _("Expired")  # the file was deleted after its time

    ACTIVE_STATES = frozenset({State.QUEUED, State.RENDERING})

    class Kind(models.TextChoices):
        BILL_PDF = "bill_pdf", _("Bill (PDF)")

    partner = partner_ref("export_tasks")
    bill = models.ForeignKey(
        Bill, on_delete=models.CASCADE, related_name="export_tasks", verbose_name=_("bill")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.BILL_PDF)
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    requested_by = user_ref(_("requested by"), blank=False)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    failure_reason = models.TextField(_("reason for failure"), blank=True)
    file = models.FileField(_("file"), upload_to=export_upload_to, blank=True, max_length=300)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0)
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # The lease of the worker rendering it (partner_center/jobs.py): renewed by each
    # progress step; when it runs out the reaper queues the export again or fails it.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export task")
        verbose_name_plural = _("export tasks")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_max_100"),
            models.CheckConstraint(
                condition=~Q(state="done") | (Q(expires_at__isnull=False) & ~Q(file="")),
                name="export_done_has_file",
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "-created_at"], name="export_partner_recent"),
            models.Index(
                fields=["expires_at"], condition=Q(state="done"), name="export_done_expiry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} · {self.bill.period}"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    @property
    def download_name(self) -> str:
        return f"bill-{self.bill.period}-{self.bill.number}.pdf"


class Invoice(models.Model):
    """A VAT invoice for one settled bill. Amounts: one line per product, each split into
    net and tax (see `billing.tax`), the totals being the sums of the lines."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")  # waiting for the vendor's finance team
        ISSUED = "issued", _("Issued")  # the vendor issued it

    number = models.CharField(_("invoice number"), max_length=32, unique=True)
    partner = partner_ref("invoices")
    bill = models.OneToOneField(
        Bill, on_delete=models.PROTECT, related_name="invoice", verbose_name=_("bill")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.REQUESTED
    )
    buyer_name = models.CharField(_("buyer"), max_length=200)
    buyer_tax_id = models.CharField(_("buyer's taxpayer ID"), max_length=18)
    tax_rate = models.DecimalField(_("tax rate"), max_digits=4, decimal_places=3, default=TAX_RATE)
    net_amount = money_field(_("amount before tax"))
    tax_amount = money_field(_("tax"))
    total_amount = money_field(_("total with tax"))
    requested_by = user_ref(_("requested by"), blank=False)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    issued_by = user_ref(pgettext_lazy("invoice", "issued by"))
    issued_at = models.DateTimeField(pgettext_lazy("invoice", "issued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=adds_up("total_amount", "net_amount", "tax_amount"),
                name="invoice_total_adds_up",
            ),
            models.CheckConstraint(condition=Q(total_amount__gt=0), name="invoice_total_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    position = models.PositiveSmallIntegerField(_("line"))
    product_code = models.CharField(_("product code"), max_length=64)
    description = models.CharField(pgettext_lazy("invoice line", "description"), max_length=200)
    net_amount = money_field(_("amount before tax"))
    tax_amount = money_field(_("tax"))
    total_amount = money_field(_("total with tax"))

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position"),
            models.CheckConstraint(
                condition=adds_up("total_amount", "net_amount", "tax_amount"),
                name="invoice_line_adds_up",
            ),
        ]

    # A line as the invoice's admin page and the API show it.
    SHOWN_FIELDS = (
        "position",
        "product_code",
        "description",
        "net_amount",
        "tax_amount",
        "total_amount",
    )

    def __str__(self) -> str:
        return f"{self.invoice} · {self.description}"
