"""The PO/HO assessment (SPEC: verified POs and accepted HOs count): per partner and billing
period, how many POs passed verification and how many HOs were accepted in it, and their
estimated amounts. An item counts in the period in which it was verified (PO) or accepted
(HO), China Standard Time, and only while it stays verified or accepted.

Every figure comes from grouped queries (one per table, whatever the number of partners)."""

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
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext_lazy as _

from partner_center.accounts.models import Partner, PartnerTypeMembership
from partner_center.periods import period_bounds, period_series
from partner_center.programs.models import PCEApplication
from partner_center.timezones import SHANGHAI

from . import figures_cache
from .models import Opportunity

S = Opportunity.State
K = Opportunity.Kind
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
HISTORY_PERIODS = 12  # the partner page lists this many periods, the chosen one last

# The BD overview's sorts: `?sort=` value -> order_by fields.
SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "total": ("total_count", "total_amount", "pk"),
    "-total": ("-total_count", "-total_amount", "pk"),
    "amount": ("total_amount", "pk"),
    "-amount": ("-total_amount", "pk"),
    "po": ("po_count", "pk"),
    "-po": ("-po_count", "pk"),
    "ho": ("ho_count", "pk"),
    "-ho": ("-ho_count", "pk"),
}
SORT_LABELS = {
    "-total": _("Most counted first"),
    "-amount": _("Largest amount first"),
    "-po": _("Most verified POs first"),
    "-ho": _("Most accepted HOs first"),
    "name": _("Partner name"),
}
DEFAULT_SORT = "-total"


def counted_q(prefix: str = "") -> Q:
    """Verified POs and accepted HOs (the assessment rule)."""
    return Q(**{f"{prefix}kind": K.PO, f"{prefix}state": S.VERIFIED}) | Q(
        **{f"{prefix}kind": K.HO, f"{prefix}state": S.ACCEPTED}
    )


def assessment_opportunities(period: str | None = None) -> QuerySet[Opportunity]:
    """The opportunities that count for the assessment, with `counted_at` (verification of a
    PO, acceptance of an HO); with `period`, only those counted in that billing period."""
    qs = Opportunity.objects.filter(counted_q()).annotate(
        counted_at=Coalesce("verified_at", "accepted_at")
    )
    if period:
        start, end = period_bounds(period)
        qs = qs.filter(counted_at__gte=start, counted_at__lt=end)
    return qs


def _counted_in(period: str, kind: str, region: str = "") -> QuerySet[Opportunity]:
    """One partner's (OuterRef) items of `kind` counted in `period`: a range of the partial
    index `opportunity_verified_month` (POs) or `opportunity_accepted_month` (HOs), whatever
    the number of opportunities."""
    start, end = period_bounds(period)
    is_po = kind == K.PO
    counted_at = "verified_at" if is_po else "accepted_at"
    qs = Opportunity.objects.filter(
        partner=OuterRef("pk"),
        state=S.VERIFIED if is_po else S.ACCEPTED,
        kind=K.PO if is_po else K.HO,
        **{f"{counted_at}__gte": start, f"{counted_at}__lt": end},
    )
    if region:
        qs = qs.filter(customer_region=region)
    return qs.order_by().values("partner")


def _count_of(qs: QuerySet[Opportunity]):
    return Coalesce(
        Subquery(qs.annotate(n=Count("id")).values("n"), output_field=IntegerField()),
        Value(0),
    )


def _amount_of(qs: QuerySet[Opportunity]):
    return Coalesce(
        Subquery(qs.annotate(total=Sum("amount")).values("total"), output_field=MONEY),
        Value(ZERO),
        output_field=MONEY,
    )


def overview(
    period: str, *, partner_type: str = "", region: str = "", sort: str = DEFAULT_SORT
) -> QuerySet[Partner]:
    """One row per partner for BD: active PCE members and every partner with a counted item
    in the period, annotated with `po_count`, `po_amount`, `ho_count`, `ho_amount`,
    `total_count`, `total_amount`. `region` counts only customers of that region.

    Each figure is a subquery per partner over its own items counted in the period (an
    index range), not a join of every opportunity: the page's cost follows the number of
    partners and of counted items, not the table's size (issue [9])."""
    po = _counted_in(period, K.PO, region)
    ho = _counted_in(period, K.HO, region)
    member = PCEApplication.objects.filter(
        partner=OuterRef("pk"), state=PCEApplication.State.APPROVED
    )
    qs = Partner.objects.annotate(
        po_count=_count_of(po),
        ho_count=_count_of(ho),
        po_amount=_amount_of(po),
        ho_amount=_amount_of(ho),
    ).annotate(
        total_count=F("po_count") + F("ho_count"),
        total_amount=F("po_amount") + F("ho_amount"),
    )
    qs = qs.filter(Q(Exists(member), is_active=True) | Q(total_count__gt=0))
    if partner_type:
        qs = qs.filter(
            Exists(
                PartnerTypeMembership.objects.filter(
                    partner=OuterRef("pk"), partner_type=partner_type, exited_at__isnull=True
                )
            )
        )
    return qs.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


@dataclass
class PeriodFigures:
    period: str
    po_count: int = 0
    po_amount: Decimal = ZERO
    ho_count: int = 0
    ho_amount: Decimal = ZERO

    @property
    def total_count(self) -> int:
        return self.po_count + self.ho_count

    @property
    def total_amount(self) -> Decimal:
        return self.po_amount + self.ho_amount


@dataclass
class PartnerAssessment:
    period: str
    current: PeriodFigures
    history: list[PeriodFigures] = field(default_factory=list)  # oldest first


def for_partner(partner_id: int, period: str, count: int = HISTORY_PERIODS) -> PartnerAssessment:
    """One partner's figures for `count` periods ending with `period` (one query)."""
    periods = period_series(period, count)
    start = period_bounds(periods[0])[0]
    end = period_bounds(periods[-1])[1]

    def grouped() -> list[dict]:
        return list(
            assessment_opportunities()
            .filter(partner_id=partner_id, counted_at__gte=start, counted_at__lt=end)
            .annotate(month=TruncMonth("counted_at", tzinfo=SHANGHAI))
            .values("month", "kind")
            .annotate(n=Count("id"), amount=Sum("amount"))
            .order_by()
        )

    # a year of a big partner's counted deals (tens of thousands): kept against its stamp
    rows = figures_cache.cached(
        f"assessment:{partner_id}:{period}:{count}", grouped, partner_id=partner_id
    )
    by_period = {p: PeriodFigures(p) for p in periods}
    for row in rows:
        figures = by_period.get(row["month"].strftime("%Y-%m"))
        if figures is None:
            continue
        amount = row["amount"] or ZERO
        if row["kind"] == K.PO:
            figures.po_count, figures.po_amount = row["n"], amount
        else:
            figures.ho_count, figures.ho_amount = row["n"], amount
    history = [by_period[p] for p in periods]
    return PartnerAssessment(period=period, current=history[-1], history=history)


def counts_by_partner(period: str, partner_id: int | None = None) -> dict[int, int]:
    """Per partner: how many opportunities counted in the period (the incentive statements'
    opportunity indicator)."""
    qs = assessment_opportunities(period)
    if partner_id is not None:
        qs = qs.filter(partner_id=partner_id)
    return dict(
        qs.values("partner_id").annotate(n=Count("id")).order_by().values_list("partner_id", "n")
    )


def export_rows(rows) -> tuple[list, list[list]]:
    """Header and rows of the BD overview export."""
    header = [
        _("Partner"),
        _("Verified POs"),
        _("Verified PO amount (CNY)"),
        _("Accepted HOs"),
        _("Accepted HO amount (CNY)"),
        _("Counted in total"),
        _("Total amount (CNY)"),
    ]
    body = (
        [
            p.name,
            p.po_count,
            p.po_amount,
            p.ho_count,
            p.ho_amount,
            p.total_count,
            p.total_amount,
        ]
        for p in rows
    )
    return [str(h) for h in header], body
