"""Every read the billing pages and API need, scoped to the user's partner."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from partner_center.accounts.access import get_for_user, scope_to_partner

from .models import Bill, BillLine, ExportTask, Invoice
from .periods import current_period
from .tax import ZERO


def bills_for(user) -> QuerySet[Bill]:
    return scope_to_partner(Bill.objects.select_related("partner"), user).order_by("-period")


def bill_for_period(user, period: str) -> Bill | None:
    """The user's partner's bill for `period`, or None (no bill yet or not the user's)."""
    if not getattr(user, "partner_id", None):
        return None
    return (
        Bill.objects.select_related("partner", "invoice")
        .filter(partner_id=user.partner_id, period=period)
        .first()
    )


def get_bill_for_user(user, pk: int) -> Bill:
    return get_for_user(Bill.objects.select_related("partner"), user, pk=pk)


def periods_for(user, *, now=None) -> list[str]:
    """Periods the period picker offers: those with a bill, and the current one."""
    periods = set()
    if getattr(user, "partner_id", None):
        periods = set(
            Bill.objects.filter(partner_id=user.partner_id).values_list("period", flat=True)
        )
    periods.add(current_period(now))
    return sorted(periods, reverse=True)


def default_period(user, *, now=None) -> str:
    """The period a partner lands on: the latest with a bill, else the current one."""
    latest = (
        Bill.objects.filter(partner_id=getattr(user, "partner_id", None))
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return latest or current_period(now)


def bill_lines(bill: Bill) -> QuerySet[BillLine]:
    """The bill's lines, without joins: names are copied onto each line."""
    return BillLine.objects.filter(bill=bill).order_by("occurred_at", "id")


def exports_for(user) -> QuerySet[ExportTask]:
    return scope_to_partner(
        ExportTask.objects.select_related("bill", "requested_by"), user
    ).order_by("-created_at", "-id")


def get_export_for_user(user, pk: int) -> ExportTask:
    return get_for_user(ExportTask.objects.select_related("bill"), user, pk=pk)


def invoices_for(user) -> QuerySet[Invoice]:
    return scope_to_partner(Invoice.objects.select_related("bill", "requested_by"), user).order_by(
        "-requested_at", "-id"
    )


def get_invoice_for_user(user, pk: int) -> Invoice:
    return get_for_user(
        Invoice.objects.select_related("bill", "requested_by").prefetch_related("lines"),
        user,
        pk=pk,
    )


def _summary(lines, key: str) -> list[dict]:
    refund = Q(line_type__in=BillLine.REFUND_TYPES)
    rows = list(
        lines.values(key)
        .annotate(
            name=Max("product_name" if key == "product_code" else "reseller_name"),
            lines=Count("id"),
            consumption=Coalesce(Sum("amount", filter=~refund), ZERO),
            refunds=Coalesce(Sum("amount", filter=refund), ZERO),
            vouchers=Coalesce(Sum("voucher_amount"), ZERO),
        )
        .order_by("-consumption", "name")
    )
    for row in rows:
        row["due"] = row["consumption"] + row["refunds"] - row["vouchers"]
    return rows


SETTLED_SUMMARY_SECONDS = 7 * 24 * 3600


def _settled_cached(bill: Bill, name: str, compute):
    """A settled bill's figures never change: its sums are computed once and kept in the
    cache (keyed by the bill and when it was generated), not recomputed on every view."""
    if bill.state != Bill.State.SETTLED:
        return compute()
    key = f"bill-summary:{bill.pk}:{name}:{bill.generated_at.timestamp()}"
    rows = cache.get(key)
    if rows is None:
        rows = compute()
        cache.set(key, rows, SETTLED_SUMMARY_SECONDS)
    return rows


def bill_product_summary(bill: Bill) -> list[dict]:
    """Per product: lines, consumption, refunds (negative), vouchers, amount due."""
    return _settled_cached(
        bill, "product", lambda: _summary(BillLine.objects.filter(bill=bill), "product_code")
    )


def bill_reseller_summary(bill: Bill) -> list[dict]:
    """Per reseller on a distributor's bill (`reseller_id` None: its own customers); empty
    when no line belongs to a reseller."""
    return _settled_cached(bill, "reseller", lambda: _reseller_summary(bill))


def _reseller_summary(bill: Bill) -> list[dict]:
    lines = BillLine.objects.filter(bill=bill)
    if not lines.filter(reseller__isnull=False).exists():
        return []
    return sorted(
        _summary(lines, "reseller_id"),
        key=lambda row: (row["reseller_id"] is not None, row["name"] or ""),
    )
