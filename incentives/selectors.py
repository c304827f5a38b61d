"""Every read the incentive pages and the API need, scoped to the user.

A partner sees its own performance; a distributor also sees what its tier-2 resellers
earned while they were its resellers (records carry the distributor of that moment); a
reseller sees only its own. Vendor staff see everything."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from customers.models import Order
from opportunities import figures_cache
from opportunities.models import Opportunity
from partner_center.accounts.access import get_for_user, is_vendor_staff, scope_to_partner
from partner_center.accounts.models import Partner
from partner_center.audit.selectors import timeline_for
from partner_center.programs.selectors import is_pce_member
from partner_center.workflow import verb_label

from . import periods
from .eligibility import COUNTED_STATES, Eligibility, today_in_shanghai
from .eligibility import check as check_eligibility
from .models import (
    ZERO,
    IncentiveApplication,
    PerformanceRecord,
    PeriodStatement,
    ProgramPeriod,
)
from .statements import build_statements, program_for_period
from .transitions import INCENTIVE

MONEY = DecimalField(max_digits=16, decimal_places=2)
TOP_SERIES = 8  # the dashboard chart draws this many resellers; the rest are "others"


# ---------------------------------------------------------------- performance


def performance_for(user) -> QuerySet[PerformanceRecord]:
    qs = PerformanceRecord.objects.select_related("customer", "product", "order", "partner")
    return scope_to_partner(qs, user)


@dataclass
class Breakdown:
    key: int | str
    label: str
    count: int
    total: Decimal
    extra: str = ""


@dataclass
class Summary:
    period: str
    total: Decimal = ZERO
    gross: Decimal = ZERO
    refunds: Decimal = ZERO
    vouchers: Decimal = ZERO
    order_count: int = 0
    customer_count: int = 0
    by_type: list[Breakdown] = field(default_factory=list)
    by_product: list[Breakdown] = field(default_factory=list)
    by_customer: list[Breakdown] = field(default_factory=list)


TOP_CUSTOMERS = 10


def performance_summary(records: QuerySet[PerformanceRecord], period: str) -> Summary:
    """Totals of one billing period and what they are made of (four queries)."""
    rows = records.filter(billing_period=period).order_by()
    totals = rows.aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY),
        gross=Coalesce(Sum("amount", filter=Q(amount__gt=0)), Value(ZERO), output_field=MONEY),
        refunds=Coalesce(Sum("amount", filter=Q(amount__lt=0)), Value(ZERO), output_field=MONEY),
        vouchers=Coalesce(Sum("voucher_amount"), Value(ZERO), output_field=MONEY),
        orders=Count("id"),
        customers=Count("customer", distinct=True),
    )
    type_labels = dict(Order.Type.choices)
    by_type = [
        Breakdown(
            r["order_type"], str(type_labels.get(r["order_type"], r["order_type"])), r["n"], r["t"]
        )
        for r in rows.values("order_type").annotate(n=Count("id"), t=Sum("amount"))
    ]
    order = [str(key) for key in type_labels]
    by_type.sort(key=lambda b: order.index(str(b.key)) if b.key in type_labels else 99)
    by_product = [
        Breakdown(r["product_id"], r["product__name"], r["n"], r["t"], r["product__code"])
        for r in rows.values("product_id", "product__name", "product__code")
        .annotate(n=Count("id"), t=Sum("amount"))
        .order_by("-t", "product__code")
    ]
    by_customer = [
        Breakdown(
            r["customer_id"], r["customer__name"], r["n"], r["t"], r["customer__account_name"]
        )
        for r in rows.values("customer_id", "customer__name", "customer__account_name")
        .annotate(n=Count("id"), t=Sum("amount"))
        .order_by("-t", "customer__name")[:TOP_CUSTOMERS]
    ]
    return Summary(
        period=period,
        total=totals["total"],
        gross=totals["gross"],
        refunds=totals["refunds"],
        vouchers=totals["vouchers"],
        order_count=totals["orders"],
        customer_count=totals["customers"],
        by_type=by_type,
        by_product=by_product,
        by_customer=by_customer,
    )


def period_totals(records: QuerySet[PerformanceRecord], period_list: list[str]) -> list[Decimal]:
    """Performance per period, in the order of `period_list` (one query)."""
    found = dict(
        records.filter(billing_period__in=period_list)
        .order_by()
        .values("billing_period")
        .annotate(t=Sum("amount"))
        .values_list("billing_period", "t")
    )
    return [found.get(p) or ZERO for p in period_list]


def filtered_total(records: QuerySet[PerformanceRecord]) -> dict:
    return records.order_by().aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY), count=Count("id")
    )


# ---------------------------------------------------------------- distributor dashboard


def _reseller_records(distributor_id: int) -> QuerySet[PerformanceRecord]:
    return PerformanceRecord.objects.filter(distributor_id=distributor_id)


def _sum_for(records: QuerySet[PerformanceRecord], period: str):
    sub = (
        records.filter(partner=OuterRef("pk"), billing_period=period)
        .order_by()
        .values("partner")
        .annotate(t=Sum("amount"))
        .values("t")
    )
    return Coalesce(Subquery(sub, output_field=MONEY), Value(ZERO), output_field=MONEY)


def _count_for(records: QuerySet[PerformanceRecord], period: str, expression):
    sub = (
        records.filter(partner=OuterRef("pk"), billing_period=period)
        .order_by()
        .values("partner")
        .annotate(n=expression)
        .values("n")
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def dashboard_resellers(distributor_id: int, period: str) -> QuerySet[Partner]:
    """The distributor's tier-2 resellers (and former ones with performance under it in the
    period) with their performance of the period and of the one before."""
    records = _reseller_records(distributor_id)
    return (
        Partner.objects.filter(
            Q(parent_distributor_id=distributor_id)
            | Q(pk__in=records.filter(billing_period=period).values("partner_id"))
        )
        .annotate(
            performance=_sum_for(records, period),
            previous=_sum_for(records, periods.shift(period, -1)),
            order_count=_count_for(records, period, Count("id")),
            customer_count=_count_for(records, period, Count("customer", distinct=True)),
        )
        .order_by("-performance", "name", "pk")
    )


def dashboard_totals(distributor_id: int, period: str) -> dict:
    records = _reseller_records(distributor_id)
    current = filtered_total(records.filter(billing_period=period))
    previous = filtered_total(records.filter(billing_period=periods.shift(period, -1)))
    return {
        "total": current["total"],
        "count": current["count"],
        "previous": previous["total"],
        "resellers": Partner.objects.filter(parent_distributor_id=distributor_id).count(),
    }


def reseller_of(distributor_id: int, pk: int) -> Partner:
    """A reseller the distributor may look at: one of its resellers now, or one with
    performance credited under it. Anything else is 404."""
    under_me = _reseller_records(distributor_id).filter(partner_id=OuterRef("pk"))
    reseller = (
        Partner.objects.filter(pk=pk)
        .filter(Q(parent_distributor_id=distributor_id) | Q(Exists(under_me)))
        .first()
    )
    if reseller is None:
        raise Http404
    return reseller


def reseller_records(distributor_id: int, reseller_id: int | None = None):
    qs = _reseller_records(distributor_id).select_related("customer", "product", "order", "partner")
    if reseller_id is not None:
        qs = qs.filter(partner_id=reseller_id)
    return qs


@dataclass
class ChartSeries:
    name: str
    values: list[Decimal]
    key: int | None = None


def dashboard_series(distributor_id: int, period_list: list[str]) -> list[ChartSeries]:
    """Performance per reseller per period for the chart (two queries): the resellers with
    the most performance over the periods one by one, the rest summed as one series."""
    cells = list(
        _reseller_records(distributor_id)
        .filter(billing_period__in=period_list)
        .order_by()
        .values("partner_id", "billing_period")
        .annotate(t=Sum("amount"))
    )
    per_partner: dict[int, dict[str, Decimal]] = {}
    for cell in cells:
        per_partner.setdefault(cell["partner_id"], {})[cell["billing_period"]] = cell["t"]
    ranked = sorted(per_partner, key=lambda pk: (-sum(per_partner[pk].values()), pk))
    shown, rest = ranked[:TOP_SERIES], ranked[TOP_SERIES:]
    names = dict(Partner.objects.filter(pk__in=shown).values_list("pk", "name")) if shown else {}
    result = [
        ChartSeries(names.get(pk, str(pk)), [per_partner[pk].get(p, ZERO) for p in period_list], pk)
        for pk in shown
    ]
    if rest:
        result.append(
            ChartSeries(
                "",  # the view names it ("Other resellers")
                [sum((per_partner[pk].get(p, ZERO) for pk in rest), ZERO) for p in period_list],
            )
        )
    return result


# ---------------------------------------------------------------- estimates


def statements_for(user) -> QuerySet[PeriodStatement]:
    qs = PeriodStatement.objects.select_related("program", "partner")
    return scope_to_partner(qs, user)


def statement_for(user, period: str, partner_id: int | None = None) -> PeriodStatement | None:
    """The stored statement of a closed period for the user's partner (vendor staff name
    the partner)."""
    qs = statements_for(user).filter(period=period)
    if is_vendor_staff(user):
        qs = qs.filter(partner_id=partner_id or -1)
    return qs.first()


def running_estimate(partner_id: int, period: str) -> PeriodStatement:
    """The estimate of a period that has not closed yet, computed now (not stored; kept
    with the pipeline figures against the partner's change stamp: it reads every deal and
    bill line the partner counted in the period)."""

    def compute() -> PeriodStatement:
        program = program_for_period(period)
        found = build_statements(period, program, partner_id=partner_id)
        if found:
            return found[0]
        return PeriodStatement(
            partner_id=partner_id, period=period, program=program, performance=ZERO
        )

    return figures_cache.cached(f"estimate:{partner_id}:{period}", compute, partner_id=partner_id)


# ---------------------------------------------------------------- program


def program_periods() -> QuerySet[ProgramPeriod]:
    return ProgramPeriod.objects.order_by("-starts_on")


def current_program(period: str | None = None) -> ProgramPeriod | None:
    return program_for_period(period or periods.current_period())


# ---------------------------------------------------------------- PCE incentive applications


def applications_for(user) -> QuerySet[IncentiveApplication]:
    qs = IncentiveApplication.objects.select_related("opportunity", "partner", "program")
    return scope_to_partner(qs, user)


def application_for_user(user, pk: int) -> IncentiveApplication:
    return get_for_user(
        applications_for(user).select_related(
            "applied_by", "published_by", "confirmed_by", "payment_requested_by", "paid_by"
        ),
        user,
        pk=pk,
    )


def review_queue(state: str | None = None) -> QuerySet[IncentiveApplication]:
    """What BD works on: applications under review first, oldest first."""
    qs = IncentiveApplication.objects.select_related("opportunity", "partner", "program")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("applied_at", "pk")


@dataclass
class PendingRow:
    verdict: Eligibility
    basis_so_far: Decimal = ZERO


@dataclass
class Pending:
    """The partner's "pending application" tab: each offering of each opportunity with the
    core label and a completed delivery, not applied for yet; and the partner's other
    counted opportunities with the reason they are not listed."""

    rows: list[PendingRow]
    not_listed: list[Eligibility]  # the latest NOT_LISTED_SHOWN of them
    is_pce: bool
    not_listed_count: int = 0


NOT_LISTED_SHOWN = 50


def pending_for(partner_id: int, now=None) -> Pending:
    """Six queries whatever the number of opportunities; only the listed ones and the
    latest few others are read (a partner may have tens of thousands)."""
    today = today_in_shanghai(now)
    counted = Opportunity.objects.filter(partner_id=partner_id, state__in=COUNTED_STATES)
    ready = Q(core_label=True, delivery_completed_on__lte=today)
    listed = list(counted.filter(ready).order_by("-delivery_completed_on", "-pk"))
    others = counted.exclude(ready).order_by(
        F("delivery_completed_on").desc(nulls_first=True), "-pk"
    )
    others_shown = list(others[:NOT_LISTED_SHOWN])
    others_count = (
        len(others_shown)
        if len(others_shown) < NOT_LISTED_SHOWN
        # all counted ones less the listed: an index-only count, no row read
        else counted.order_by().count() - len(listed)
    )
    applied = set(
        IncentiveApplication.objects.filter(partner_id=partner_id).values_list(
            "opportunity_id", "offering"
        )
    )
    programs = list(ProgramPeriod.objects.all())
    pce = is_pce_member(partner_id)
    basis = (
        {
            (row["opportunity_id"], row["product__code"]): row["t"]
            for row in PerformanceRecord.objects.filter(opportunity__in=[o.pk for o in listed])
            .order_by()
            .values("opportunity_id", "product__code")
            .annotate(t=Sum("amount"))
        }
        if listed
        else {}
    )
    rows = []
    for opp in listed:
        for offering in opp.products or []:
            if (opp.pk, offering) in applied:
                continue
            verdict = check_eligibility(
                opp, offering, today=today, is_pce=pce, applied=applied, programs=programs
            )
            rows.append(PendingRow(verdict, basis.get((opp.pk, offering)) or ZERO))
    not_listed = [
        check_eligibility(
            o, (o.products or [""])[0], today=today, is_pce=pce, applied=applied, programs=programs
        )
        for o in others_shown
    ]
    return Pending(rows, not_listed, pce, others_count)


def eligibility_for(opportunity: Opportunity, offering: str, now=None) -> Eligibility:
    """One verdict, for the apply page and the API."""
    applied = set(
        IncentiveApplication.objects.filter(opportunity=opportunity).values_list(
            "opportunity_id", "offering"
        )
    )
    return check_eligibility(
        opportunity,
        offering,
        today=today_in_shanghai(now),
        is_pce=is_pce_member(opportunity.partner_id),
        applied=applied,
        programs=list(ProgramPeriod.objects.all()),
    )


def opportunity_of_partner(user, pk: int) -> Opportunity:
    """An opportunity of the user's partner (404 for anyone else's)."""
    found = Opportunity.objects.filter(pk=pk, partner_id=user.partner_id or -1).first()
    if found is None:
        raise Http404
    return found


def application_of(opportunity_id: int, offering: str) -> IncentiveApplication | None:
    return IncentiveApplication.objects.filter(
        opportunity_id=opportunity_id, offering=offering
    ).first()


def application_counts(user) -> dict[str, int]:
    """Applications per state (one query): for the landing-page cards and the tabs."""
    qs = applications_for(user).order_by().values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in qs}


def computed_basis(application: IncentiveApplication) -> Decimal:
    from .services import performance_basis

    return performance_basis(
        application.opportunity_id, application.offering, application.delivery_completed_on
    )


def timeline(application: IncentiveApplication) -> list:
    events = list(timeline_for(application))
    for event in events:
        event.label = verb_label(event.verb)
        event.from_state = INCENTIVE.state_label(event.from_state)
        event.to_state = INCENTIVE.state_label(event.to_state)
    return events
