"""Every write of the incentives app.

Performance: each order of a partner's customer is credited once (`performance_credit_order`,
called when an order is recorded; `performance_sync` credits whatever was missed, set-based).
Period close: `period_close` writes each selling partner's statement for a billing period
once and sends the estimated incentives and indicators to the subscribers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from customers.models import Order
from partner_center.notifications.models import Topic
from partner_center.notifications.services import notify_subscribers

from . import periods
from .models import ZERO, PerformanceRecord, PeriodClose, PeriodStatement
from .statements import build_statements, program_for_period

SYNC_BATCH = 2000
_ORDER_FIELDS = (
    "pk",
    "partner_id",
    "distributor_id",
    "customer_id",
    "product_id",
    "order_type",
    "formed_at",
    "billing_period",
    "amount",
    "voucher_amount",
)


# ---------------------------------------------------------------- performance


def _record_from(row: dict) -> PerformanceRecord:
    refund = row["order_type"] in Order.REFUND_TYPES
    signed = -row["amount"] if refund else row["amount"]
    voucher = ZERO if refund else row["voucher_amount"]
    return PerformanceRecord(
        order_id=row["pk"],
        partner_id=row["partner_id"],
        distributor_id=row["distributor_id"],
        customer_id=row["customer_id"],
        product_id=row["product_id"],
        order_type=row["order_type"],
        formed_at=row["formed_at"],
        billing_period=row["billing_period"],
        order_amount=signed,
        voucher_amount=voucher,
        amount=signed - voucher,
    )


def performance_credit_order(*, order: Order) -> PerformanceRecord | None:
    """Credit one order to the partner its customer was associated with when the order was
    formed. Orders of customers without a partner earn no performance. Idempotent."""
    if order.partner_id is None:
        return None
    row = {name: getattr(order, name) for name in _ORDER_FIELDS}
    PerformanceRecord.objects.bulk_create([_record_from(row)], ignore_conflicts=True)
    return PerformanceRecord.objects.filter(order_id=order.pk).first()


def performance_sync(*, batch_size: int = SYNC_BATCH) -> int:
    """Credit every partner order that has no performance record yet, in batches (orders
    loaded in bulk, or recorded before this module existed). Running it twice credits
    nothing twice. Returns how many records were written."""
    written = 0
    last_pk = 0
    pending = Order.objects.filter(partner__isnull=False, performance__isnull=True).order_by("pk")
    while True:
        rows = list(pending.filter(pk__gt=last_pk).values(*_ORDER_FIELDS)[:batch_size])
        if not rows:
            return written
        created = PerformanceRecord.objects.bulk_create(
            [_record_from(row) for row in rows], ignore_conflicts=True
        )
        written += len(created)
        last_pk = rows[-1]["pk"]


# ---------------------------------------------------------------- period close


@dataclass
class CloseResult:
    period: str
    written: int
    sent: int


def period_close(*, period: str, now: datetime | None = None) -> CloseResult:
    """Close a billing period: credit what is missing, write each selling partner's
    statement once, then send the unsent ones. Running it late or twice writes and sends
    nothing twice."""
    now = now or timezone.now()
    if not periods.is_period(period):
        raise ValueError(period)
    if period >= periods.current_period(now):
        raise ValueError(f"{period} has not ended yet")
    performance_sync()
    with transaction.atomic():
        close, created = PeriodClose.objects.get_or_create(
            period=period, defaults={"closed_at": now}
        )
        written = 0
        if created:
            rows = build_statements(period, program_for_period(period))
            written = len(PeriodStatement.objects.bulk_create(rows, ignore_conflicts=True))
            close.statements = written
            close.save(update_fields=["statements"])
    return CloseResult(period, written, statements_send(period=period, now=now))


def statements_send(*, period: str, now: datetime | None = None) -> int:
    """Send the period's unsent statements to each partner's subscribers (estimated
    incentives; indicator details). A statement is sent once, even by concurrent runs."""
    now = now or timezone.now()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            with transaction.atomic():
                batch = list(
                    PeriodStatement.objects.select_for_update(skip_locked=True)
                    .filter(period=period, notified_at__isnull=True)
                    .select_related("partner")
                    .order_by("pk")[:200]
                )
                if not batch:
                    return sent
                for statement in batch:
                    _send_statement(statement)
                PeriodStatement.objects.filter(pk__in=[s.pk for s in batch]).update(notified_at=now)
                sent += len(batch)


def _send_statement(statement: PeriodStatement) -> None:
    link = reverse("incentives:estimate_detail", args=[statement.period])
    notify_subscribers(
        partner=statement.partner,
        topic=Topic.PERFORMANCE,
        title=_("Performance for %(period)s: %(amount)s")
        % {"period": statement.period, "amount": f"¥{statement.performance:,.2f}"},
        body=_("The billing period is closed; its summary and details are ready."),
        link=reverse("incentives:performance") + f"?period={statement.period}",
    )
    notify_subscribers(
        partner=statement.partner,
        topic=Topic.ESTIMATED_INCENTIVES,
        title=_("Estimated incentive for %(period)s: %(amount)s")
        % {"period": statement.period, "amount": f"¥{statement.estimated_incentive:,.2f}"},
        body=_(
            "Performance %(performance)s at a rate of %(rate)s%%. This is an estimate; the "
            "incentive paid follows the program's accounting."
        )
        % {"performance": f"¥{statement.performance:,.2f}", "rate": statement.rate},
        link=link,
    )
    achievement = statement.achievement
    lines = [
        _("Performance: %(value)s") % {"value": f"¥{statement.performance:,.2f}"},
        _("Target: %(value)s") % {"value": f"¥{statement.target:,.2f}"}
        + (f" ({achievement}%)" if achievement is not None else ""),
        _("Orders: %(n)s; customers: %(c)s; new customers: %(new)s")
        % {
            "n": statement.order_count,
            "c": statement.customer_count,
            "new": statement.new_customer_count,
        },
        _("Opportunities counted: %(n)s") % {"n": statement.opportunity_count},
    ]
    notify_subscribers(
        partner=statement.partner,
        topic=Topic.INDICATOR_DETAILS,
        title=_("Indicators for %(period)s") % {"period": statement.period},
        body="\n".join(lines),
        link=link,
    )


def close_last_period(now: datetime | None = None) -> CloseResult:
    """What the beat task runs: close the period that ended most recently."""
    return period_close(period=periods.last_closed_period(now), now=now)
