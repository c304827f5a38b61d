"""Pipeline dashboards: BD's view of every partner's pipeline and a partner's view of its own.

Every figure is aggregated in SQL (GROUP BY and conditional counts); the number of queries
does not grow with the number of opportunities. The grouped scans themselves do, so their
results are cached (`figures_cache`: a partner's against its change stamp, BD's for a
minute); the overdue and due-today lists are read each time (index ranges). The medians count working days with the
working-day calendar (`partner_center.workdays`), one calendar query for all items.

The window: an item belongs to a period by the moment its clock started (PO submission, HO
sharing; a draft by its creation). Without a period, every item counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partner_center.periods import period_bounds
from partner_center.timezones import SHANGHAI
from partner_center.workdays import working_days_between_many

from . import figures_cache
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


# ---- One grouped scan --------------------------------------------------------------------


def cube(qs: QuerySet[Opportunity], by: str | None = None) -> list[dict]:
    """Count and amount per kind, state, stage and deciding rule (and per BD owner, region or
    industry with `by`): one GROUP BY whose few rows the funnel, the stages, the SLA counts
    and the breakdown are folded from."""
    keys = ["kind", "state", "stage", "decision_rule"]
    if by:
        keys.append(_BREAKDOWN_FIELD[by])
    return list(qs.values(*keys).annotate(n=Count("id"), amount=_money("amount")).order_by())


# ---- Funnel ------------------------------------------------------------------------------


@dataclass
class FunnelStep:
    kind: str
    state: str
    label: str
    count: int = 0
    amount: Decimal = ZERO


def funnel(
    qs: QuerySet[Opportunity], *, include_drafts: bool = False, rows: list[dict] | None = None
) -> list[FunnelStep]:
    """Count and amount per kind and state, in lifecycle order (from `rows` of `cube`)."""
    labels = dict(S.choices)
    steps = {
        (kind, state): FunnelStep(kind, state, str(labels[state]))
        for kind, states in ((K.PO, PO_FUNNEL), (K.HO, HO_FUNNEL))
        for state in states
        if include_drafts or state != S.DRAFT
    }
    for row in cube(qs) if rows is None else rows:
        step = steps.get((row["kind"], row["state"]))
        if step is not None:
            step.count += row["n"]
            step.amount += row["amount"]
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


def by_stage(qs: QuerySet[Opportunity], rows: list[dict] | None = None) -> list[StageRow]:
    """Verified POs and accepted HOs per stage with amount and probability (from `rows` of
    `cube`, and one query for the probabilities)."""
    chances = probabilities()
    labels = dict(STAGE_CHOICES)
    stages = {s: StageRow(s, str(labels[s]), chances[s]) for s in STAGE_ORDER}
    for row in cube(qs) if rows is None else rows:
        target = stages.get(row["stage"] or NO_STAGE)
        if target is not None and row["state"] in ACTIVE_STATES:
            target.count += row["n"]
            target.amount += row["amount"]
    return list(stages.values())


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


def _median(days: list[int], weights: list[int]) -> float | None:
    """The median of `days`, each counted `weights` times."""
    total = sum(weights)
    if not total:
        return None
    ordered = sorted(zip(days, weights, strict=True))

    def nth(k: int) -> int:  # the k-th value (0-based) in the expanded list
        seen = 0
        for value, weight in ordered:
            seen += weight
            if k < seen:
                return value
        raise AssertionError("unreachable")

    middle = (nth((total - 1) // 2) + nth(total // 2)) / 2
    return int(middle) if float(middle).is_integer() else middle


def _day_pairs(qs: QuerySet[Opportunity], start: str, end: str) -> list[tuple]:
    """(start day, end day, how many) in China Standard Time: one grouped query."""
    return list(
        qs.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
        .values_list(TruncDate(start, tzinfo=SHANGHAI), TruncDate(end, tzinfo=SHANGHAI))
        .annotate(n=Count("id"))
        .order_by()
    )


def _sla_counter(row: dict) -> str | None:
    """Which `Sla` count a `cube` row adds to."""
    kind, state = row["kind"], row["state"]
    if kind == K.PO:
        if state == S.REJECTED:
            expired = row["decision_rule"] == Rule.SLA_EXPIRED
            return "po_auto_rejected" if expired else "po_rejected_by_bd"
        if state in SLA_OPEN_STATES:
            return "po_open"
        return "po_verified" if state == S.VERIFIED else None
    return {
        S.ACCEPTED: "ho_accepted",
        S.DECLINED: "ho_declined",
        S.EXPIRED: "ho_auto_declined",
        S.PENDING: "ho_open",
    }.get(state)


def sla(qs: QuerySet[Opportunity], rows: list[dict] | None = None) -> Sla:
    """PO verification and HO acceptance against their SLAs (from `rows` of `cube`) and the
    median working days to verify / to accept (two queries grouped by day and one calendar
    query)."""
    result = Sla()
    for row in cube(qs) if rows is None else rows:
        counter = _sla_counter(row)
        if counter:
            setattr(result, counter, getattr(result, counter) + row["n"])
    verify = _day_pairs(qs.filter(kind=K.PO), "submitted_at", "verified_at")
    accept = _day_pairs(qs.filter(kind=K.HO), "shared_at", "accepted_at")
    days = working_days_between_many([(a, b) for a, b, _n in verify + accept])
    result.median_days_to_verify = _median(days[: len(verify)], [n for *_ab, n in verify])
    result.median_days_to_accept = _median(days[len(verify) :], [n for *_ab, n in accept])
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


def breakdown(
    qs: QuerySet[Opportunity], by: str, rows: list[dict] | None = None
) -> list[BreakdownRow]:
    """Items per BD owner, region or industry (from `rows` of `cube(qs, by)`): in total, with
    a running clock, verified/accepted (and their amount), ended by the sweep."""
    by = by if by in _BREAKDOWN_FIELD else "bd_owner"
    column = _BREAKDOWN_FIELD[by]
    labels = {"region": dict(Region.choices), "industry": dict(Industry.choices)}.get(by, {})
    rows = cube(qs, by) if rows is None else rows
    if by == "bd_owner":  # one query for the names of the few owners
        from partner_center.accounts.models import User

        owners = {row[column] for row in rows if row[column]}
        labels = {
            str(pk): name or email
            for pk, name, email in User.objects.filter(pk__in=owners).values_list(
                "pk", "full_name", "email"
            )
        }
    found: dict[str, BreakdownRow] = {}
    for row in rows:
        key = str(row[column] or "")
        target = found.get(key)
        if target is None:
            empty = _("Nobody") if by == "bd_owner" else _("Not given")
            label = labels.get(key) or empty
            target = found[key] = BreakdownRow(key, str(label), 0, 0, 0, ZERO, 0)
        target.total += row["n"]
        if row["state"] in SLA_OPEN_STATES:
            target.open += row["n"]
        if row["state"] in ACTIVE_STATES:
            target.active += row["n"]
            target.active_amount += row["amount"]
        if row["decision_rule"] == Rule.SLA_EXPIRED:
            target.auto_ended += row["n"]
    return sorted(found.values(), key=lambda r: (-r.total, r.key == "", r.key))


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


def _key(filters: Filters) -> str:
    return ":".join(str(v if v is not None else "") for v in filters.__dict__.values())


def bd_dashboard(filters: Filters, *, breakdown_by: str = "bd_owner", now=None) -> BDDashboard:
    qs = scoped(filters)
    now = now or timezone.now()
    # The lists show what is due now, whatever period the figures cover.
    due = scoped(Filters(**{**filters.__dict__, "period": ""}))
    by = breakdown_by if breakdown_by in BREAKDOWNS else "bd_owner"

    def figures():  # the grouped scans of every opportunity in scope: cached (issue [9])
        rows = cube(qs, by)
        return rows, sla(qs, rows)

    rows, sla_figures = figures_cache.cached(f"bd:{by}:{_key(filters)}", figures)
    return BDDashboard(
        filters=filters,
        funnel=funnel(qs, rows=rows),
        stages=by_stage(qs, rows),
        sla=sla_figures,
        overdue=overdue(due, now),
        due_today=due_today(due, now),
        breakdown_by=by,
        breakdown=breakdown(qs, by, rows),
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

    def figures():  # the grouped scans of the partner's opportunities: cached (issue [9])
        rows = cube(qs)
        return rows, win_rate(qs), sla(qs, rows)

    rows, win, sla_figures = figures_cache.cached(
        f"partner:{_key(filters)}", figures, partner_id=partner_id
    )
    return PartnerDashboard(
        filters=filters,
        funnel=funnel(qs, include_drafts=True, rows=rows),
        stages=by_stage(qs, rows),
        win=win,
        sla=sla_figures,
    )
