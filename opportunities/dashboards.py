"""Pipeline dashboards: BD's view of every partner's pipeline and a partner's view of its own.

Every figure is aggregated in SQL (GROUP BY and conditional counts); the number of queries
does not grow with the number of opportunities. The medians count working days with the
working-day calendar (`partner_center.workdays`), one calendar query for all items.

The window: an item belongs to a period by the moment its clock started (PO submission, HO
sharing; a draft by its creation). Without a period, every item counts."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partner_center.periods import period_bounds
from partner_center.timezones import SHANGHAI
from partner_center.workdays import working_days_between_many

from .catalog import Industry, Region, Rule, Stage
from .models import Opportunity
from .pipeline_models import DEFAULT_PROBABILITIES, NO_STAGE, STAGE_CHOICES, StageProbability
from .transitions import ACTIVE_STATES, SLA_OPEN_STATES

S = Opportunity.State
K = Opportunity.Kind
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
LIST_LIMIT = 20  # rows of the overdue and due-today lists
# The funnel's order: each kind's states from the start of its life to its end.
PO_FUNNEL = (S.DRAFT, S.SUBMITTED, S.UNDER_VERIFICATION, S.RETURNED, S.VERIFIED, S.REJECTED)
HO_FUNNEL = (S.PENDING, S.ACCEPTED, S.DECLINED, S.EXPIRED)
STAGE_ORDER = (NO_STAGE, Stage.CONTACTING, Stage.SOLUTION, Stage.BIDDING, Stage.WON, Stage.LOST)
BREAKDOWNS = {
    "bd_owner": _("BD owner"),
    "region": _("Region"),
    "industry": _("Industry"),
}
_BREAKDOWN_FIELD = {
    "bd_owner": "bd_owner",
    "region": "customer_region",
    "industry": "customer_industry",
}


@dataclass
class Filters:
    period: str = ""
    bd_owner_id: int | None = None
    region: str = ""
    industry: str = ""
    partner_id: int | None = None


def _money(name: str, condition: Q | None = None):
    return Coalesce(Sum(name, filter=condition), Value(ZERO), output_field=MONEY)


def scoped(filters: Filters, *, include_drafts: bool = False) -> QuerySet[Opportunity]:
    """The opportunities the dashboard counts, with `started_at`."""
    qs = Opportunity.objects.annotate(
        started_at=Coalesce("submitted_at", "shared_at", "created_at")
    )
    if not include_drafts:
        qs = qs.exclude(state=S.DRAFT)
    if filters.partner_id is not None:
        qs = qs.filter(partner_id=filters.partner_id)
    if filters.period:
        start, end = period_bounds(filters.period)
        qs = qs.filter(started_at__gte=start, started_at__lt=end)
    if filters.bd_owner_id:
        qs = qs.filter(bd_owner_id=filters.bd_owner_id)
    if filters.region:
        qs = qs.filter(customer_region=filters.region)
    if filters.industry:
        qs = qs.filter(customer_industry=filters.industry)
    return qs


# ---- Funnel ------------------------------------------------------------------------------


@dataclass
class FunnelStep:
    kind: str
    state: str
    label: str
    count: int = 0
    amount: Decimal = ZERO


def funnel(qs: QuerySet[Opportunity], *, include_drafts: bool = False) -> list[FunnelStep]:
    """Count and amount per kind and state (one query), in lifecycle order."""
    labels = dict(S.choices)
    steps = {
        (kind, state): FunnelStep(kind, state, str(labels[state]))
        for kind, states in ((K.PO, PO_FUNNEL), (K.HO, HO_FUNNEL))
        for state in states
        if include_drafts or state != S.DRAFT
    }
    for row in (
        qs.values("kind", "state").annotate(n=Count("id"), amount=_money("amount")).order_by()
    ):
        step = steps.get((row["kind"], row["state"]))
        if step is not None:
            step.count, step.amount = row["n"], row["amount"]
    return list(steps.values())


# ---- Stages and the weighted pipeline ----------------------------------------------------


def probabilities() -> dict[str, int]:
    """Stage → probability in percent: admin's rows, the defaults for the others."""
    found = dict(StageProbability.objects.values_list("stage", "probability"))
    return {stage: found.get(stage, DEFAULT_PROBABILITIES[stage]) for stage in STAGE_ORDER}


@dataclass
class StageRow:
    stage: str
    label: str
    probability: int
    count: int = 0
    amount: Decimal = ZERO

    @property
    def weighted(self) -> Decimal:
        return (self.amount * self.probability / 100).quantize(Decimal("0.01"))


def by_stage(qs: QuerySet[Opportunity]) -> list[StageRow]:
    """Verified POs and accepted HOs per stage with amount and probability (two queries)."""
    chances = probabilities()
    labels = dict(STAGE_CHOICES)
    rows = {s: StageRow(s, str(labels[s]), chances[s]) for s in STAGE_ORDER}
    grouped = (
        qs.filter(state__in=ACTIVE_STATES)
        .values("stage")
        .annotate(n=Count("id"), amount=_money("amount"))
        .order_by()
    )
    for row in grouped:
        target = rows.get(row["stage"] or NO_STAGE)
        if target is not None:
            target.count += row["n"]
            target.amount += row["amount"]
    return list(rows.values())


def weighted_pipeline(stages: list[StageRow]) -> Decimal:
    """Open deals' amounts × their stage's probability (won and lost deals are not open)."""
    return sum((r.weighted for r in stages if r.stage not in (Stage.WON, Stage.LOST)), start=ZERO)


@dataclass
class WinRate:
    won: int
    lost: int

    @property
    def rate(self) -> float | None:
        closed = self.won + self.lost
        return round(self.won * 100 / closed, 1) if closed else None


def win_rate(qs: QuerySet[Opportunity]) -> WinRate:
    """Won ÷ (won + lost) of the verified POs and accepted HOs: a deal is won or lost by its
    reported stage or by closing its protection."""
    won = Q(stage=Stage.WON) | Q(protection=Opportunity.Protection.WON)
    lost = Q(stage=Stage.LOST) | Q(protection=Opportunity.Protection.LOST)
    figures = qs.filter(state__in=ACTIVE_STATES).aggregate(
        won=Count("id", filter=won), lost=Count("id", filter=lost & ~won)
    )
    return WinRate(figures["won"], figures["lost"])


# ---- SLA compliance ----------------------------------------------------------------------


@dataclass
class Sla:
    po_verified: int = 0
    po_rejected_by_bd: int = 0
    po_auto_rejected: int = 0
    po_open: int = 0
    ho_accepted: int = 0
    ho_declined: int = 0
    ho_auto_declined: int = 0
    ho_open: int = 0
    median_days_to_verify: float | None = None
    median_days_to_accept: float | None = None

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(part * 100 / whole, 1) if whole else None

    @property
    def po_concluded(self) -> int:
        return self.po_verified + self.po_rejected_by_bd + self.po_auto_rejected

    @property
    def verified_within_sla(self) -> float | None:
        """Of the POs whose verification ended, the share verified (always by its deadline:
        past it the sweep rejects)."""
        return self._share(self.po_verified, self.po_concluded)

    @property
    def po_decided_in_time(self) -> float | None:
        """Of the POs whose verification ended, the share BD decided before the deadline."""
        return self._share(self.po_concluded - self.po_auto_rejected, self.po_concluded)

    @property
    def ho_concluded(self) -> int:
        return self.ho_accepted + self.ho_declined + self.ho_auto_declined

    @property
    def ho_answered_in_time(self) -> float | None:
        return self._share(self.ho_concluded - self.ho_auto_declined, self.ho_concluded)


def _median(values: list[int]) -> float | None:
    if not values:
        return None
    middle = float(statistics.median(values))
    return int(middle) if middle.is_integer() else middle


def sla(qs: QuerySet[Opportunity]) -> Sla:
    """PO verification and HO acceptance against their SLAs (one aggregate query) and the
    median working days to verify / to accept (two queries and one calendar query)."""
    expired = Q(decision_rule=Rule.SLA_EXPIRED)
    figures = qs.aggregate(
        po_verified=Count("id", filter=Q(kind=K.PO, state=S.VERIFIED)),
        po_rejected_by_bd=Count("id", filter=Q(kind=K.PO, state=S.REJECTED) & ~expired),
        po_auto_rejected=Count("id", filter=Q(kind=K.PO, state=S.REJECTED) & expired),
        po_open=Count("id", filter=Q(kind=K.PO, state__in=SLA_OPEN_STATES)),
        ho_accepted=Count("id", filter=Q(kind=K.HO, state=S.ACCEPTED)),
        ho_declined=Count("id", filter=Q(kind=K.HO, state=S.DECLINED)),
        ho_auto_declined=Count("id", filter=Q(kind=K.HO, state=S.EXPIRED)),
        ho_open=Count("id", filter=Q(kind=K.HO, state=S.PENDING)),
    )
    result = Sla(**figures)
    verify_pairs = list(
        qs.filter(kind=K.PO, verified_at__isnull=False, submitted_at__isnull=False).values_list(
            "submitted_at", "verified_at"
        )
    )
    accept_pairs = list(
        qs.filter(kind=K.HO, accepted_at__isnull=False, shared_at__isnull=False).values_list(
            "shared_at", "accepted_at"
        )
    )
    days = working_days_between_many(verify_pairs + accept_pairs)
    result.median_days_to_verify = _median(days[: len(verify_pairs)])
    result.median_days_to_accept = _median(days[len(verify_pairs) :])
    return result


# ---- Overdue and due today ---------------------------------------------------------------


def end_of_today(now: datetime) -> datetime:
    local = timezone.localtime(now, SHANGHAI)
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)


def overdue(qs: QuerySet[Opportunity], now: datetime | None = None) -> list[Opportunity]:
    """Running clocks past their deadline (the sweep has not ended them yet)."""
    now = now or timezone.now()
    return list(
        qs.filter(state__in=SLA_OPEN_STATES, deadline__lt=now)
        .select_related("partner", "bd_owner")
        .order_by("deadline", "id")[:LIST_LIMIT]
    )


def due_today(qs: QuerySet[Opportunity], now: datetime | None = None) -> list[Opportunity]:
    """Running clocks whose deadline falls later today (China Standard Time)."""
    now = now or timezone.now()
    return list(
        qs.filter(state__in=SLA_OPEN_STATES, deadline__gte=now, deadline__lt=end_of_today(now))
        .select_related("partner", "bd_owner")
        .order_by("deadline", "id")[:LIST_LIMIT]
    )


# ---- Breakdown ---------------------------------------------------------------------------


@dataclass
class BreakdownRow:
    key: str
    label: str
    total: int
    open: int
    active: int
    active_amount: Decimal
    auto_ended: int


def breakdown(qs: QuerySet[Opportunity], by: str) -> list[BreakdownRow]:
    """Items per BD owner, region or industry (one query): in total, with a running clock,
    verified/accepted (and their amount), ended by the sweep."""
    column = _BREAKDOWN_FIELD.get(by, "bd_owner")
    values = [column]
    if by == "bd_owner":
        values += ["bd_owner__full_name", "bd_owner__email"]
    grouped = (
        qs.values(*values)
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(state__in=SLA_OPEN_STATES)),
            active=Count("id", filter=Q(state__in=ACTIVE_STATES)),
            active_amount=_money("amount", Q(state__in=ACTIVE_STATES)),
            auto_ended=Count("id", filter=Q(decision_rule=Rule.SLA_EXPIRED)),
        )
        .order_by("-total", F(column).asc(nulls_last=True))
    )
    labels = {"region": dict(Region.choices), "industry": dict(Industry.choices)}.get(by, {})
    rows = []
    for row in grouped:
        key = row[column]
        if by == "bd_owner":
            label = row["bd_owner__full_name"] or row["bd_owner__email"] or _("Nobody")
        else:
            label = labels.get(key) or _("Not given")
        rows.append(
            BreakdownRow(
                key=str(key or ""),
                label=str(label),
                total=row["total"],
                open=row["open"],
                active=row["active"],
                active_amount=row["active_amount"],
                auto_ended=row["auto_ended"],
            )
        )
    return rows


# ---- The two dashboards ------------------------------------------------------------------


@dataclass
class BDDashboard:
    filters: Filters
    funnel: list[FunnelStep]
    stages: list[StageRow]
    sla: Sla
    overdue: list[Opportunity]
    due_today: list[Opportunity]
    breakdown_by: str
    breakdown: list[BreakdownRow] = field(default_factory=list)

    @property
    def weighted(self) -> Decimal:
        return weighted_pipeline(self.stages)


def bd_dashboard(filters: Filters, *, breakdown_by: str = "bd_owner", now=None) -> BDDashboard:
    qs = scoped(filters)
    now = now or timezone.now()
    # The lists show what is due now, whatever period the figures cover.
    due = scoped(Filters(**{**filters.__dict__, "period": ""}))
    by = breakdown_by if breakdown_by in BREAKDOWNS else "bd_owner"
    return BDDashboard(
        filters=filters,
        funnel=funnel(qs),
        stages=by_stage(qs),
        sla=sla(qs),
        overdue=overdue(due, now),
        due_today=due_today(due, now),
        breakdown_by=by,
        breakdown=breakdown(qs, by),
    )


@dataclass
class PartnerDashboard:
    filters: Filters
    funnel: list[FunnelStep]
    stages: list[StageRow]
    win: WinRate
    sla: Sla

    @property
    def weighted(self) -> Decimal:
        return weighted_pipeline(self.stages)

    @property
    def open_amount(self) -> Decimal:
        return sum(
            (r.amount for r in self.stages if r.stage not in (Stage.WON, Stage.LOST)), start=ZERO
        )


def partner_dashboard(partner_id: int, filters: Filters) -> PartnerDashboard:
    filters = Filters(**{**filters.__dict__, "partner_id": partner_id, "bd_owner_id": None})
    qs = scoped(filters, include_drafts=True)
    return PartnerDashboard(
        filters=filters,
        funnel=funnel(qs, include_drafts=True),
        stages=by_stage(qs),
        win=win_rate(qs),
        sla=sla(qs),
    )
