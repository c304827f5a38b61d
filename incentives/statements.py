"""How a billing period's estimated incentive and indicators are computed: the same code
writes the statements when a period closes and shows the running estimate of the open one."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Min, Sum

from opportunities import assessment
from partner_center.accounts.models import Partner
from partner_center.accounts.permissions import SELLING_TYPES

from . import periods
from .models import HUNDRED, ZERO, PerformanceRecord, PeriodStatement, ProgramPeriod, money


def program_for_day(day: date) -> ProgramPeriod | None:
    return ProgramPeriod.objects.filter(starts_on__lte=day, ends_on__gte=day).first()


def program_for_period(period: str) -> ProgramPeriod | None:
    """The program period that covers the first day of the billing period."""
    return program_for_day(periods.first_day(period))


def estimated_incentive(performance, program: ProgramPeriod | None):
    """What a billing period's performance earns under the program's rates: nothing below
    the threshold (or without a program period), else performance × rate."""
    if program is None or performance <= 0 or performance < program.performance_threshold:
        return ZERO
    return money(performance * program.performance_rate / HUNDRED)


def opportunity_counts(period: str, partner_id: int | None = None) -> dict[int, int]:
    """Per partner: opportunities that came to count for the assessment in the period
    (POs verified, HOs accepted in it): `opportunities.assessment` decides."""
    return assessment.counts_by_partner(period, partner_id)


def build_statements(
    period: str, program: ProgramPeriod | None, partner_id: int | None = None
) -> list[PeriodStatement]:
    """Unsaved statements for the period: one per active selling partner (or only for
    `partner_id`), from a handful of grouped queries whatever the number of partners."""
    records = PerformanceRecord.objects.all()
    partners = Partner.objects.filter(
        is_active=True,
        type_memberships__partner_type__in=SELLING_TYPES,
        type_memberships__exited_at__isnull=True,
    )
    if partner_id is not None:
        records = records.filter(partner_id=partner_id)
        partners = partners.filter(pk=partner_id)
    partner_ids = set(partners.values_list("pk", flat=True).distinct())
    current = {
        row["partner_id"]: row
        for row in records.filter(billing_period=period)
        .values("partner_id")
        .annotate(
            total=Sum("amount"), orders=Count("id"), customers=Count("customer", distinct=True)
        )
        .order_by()
    }
    previous = dict(
        records.filter(billing_period=periods.shift(period, -1))
        .values("partner_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("partner_id", "total")
    )
    # A new customer: its first order with the partner was formed in this period.
    new_customers: dict[int, int] = defaultdict(int)
    for owner_id in (
        records.filter(billing_period__lte=period)
        .values("partner_id", "customer_id")
        .annotate(first=Min("billing_period"))
        .filter(first=period)
        .order_by()
        .values_list("partner_id", flat=True)
    ):
        new_customers[owner_id] += 1
    opportunities = opportunity_counts(period, partner_id)
    statements = []
    for owner_id in sorted(partner_ids | set(current)):
        figures = current.get(owner_id, {})
        performance = money(figures.get("total") or ZERO)
        statements.append(
            PeriodStatement(
                partner_id=owner_id,
                period=period,
                program=program,
                performance=performance,
                previous_performance=money(previous.get(owner_id) or ZERO),
                order_count=figures.get("orders", 0),
                customer_count=figures.get("customers", 0),
                new_customer_count=new_customers.get(owner_id, 0),
                opportunity_count=opportunities.get(owner_id, 0),
                target=program.monthly_target if program else ZERO,
                threshold=program.performance_threshold if program else ZERO,
                rate=program.performance_rate if program else ZERO,
                estimated_incentive=estimated_incentive(performance, program),
            )
        )
    return statements
