"""Lead routing [our rule R5.7]: which PCE partner fits an HO lead best, and what a partner
must reach to receive more HOs (the "HO scenario requirements" of the source help pages:
a partner that reaches them is more likely to be shared the vendor's opportunities).

Every weight and threshold is a constant of this module; the README's rules section lists
them. The ranking only advises BD: the share service still decides who may receive an HO
(an active PCE member that did not have this lead before).

A partner's *HO profile* is what it declares (`HOProfile`: industries, regions, products)
plus what the portal knows: capability labels it holds, its current load of pending HOs, its
acceptance rate and SLA record over the last `HISTORY_DAYS` days, and its verified POs in
that time. Computed for all candidates with a fixed number of grouped queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.models import LabelApplication
from partner_center.accounts.models import Partner
from partner_center.programs.models import PCEApplication

from . import figures_cache
from .catalog import Industry, Product, Region
from .models import Opportunity, VendorLead
from .pipeline_models import HOProfile

S = Opportunity.State
K = Opportunity.Kind

# ---- R5.7 weights (points) ---------------------------------------------------------------
HISTORY_DAYS = 365  # the acceptance rate, SLA record and PO contribution look this far back
INDUSTRY_POINTS = 25  # R5.7.1 the lead's industry is one the partner serves
REGION_POINTS = 20  # R5.7.2 the lead's region is one the partner serves
PRODUCT_POINTS = 20  # R5.7.3 × the share of the lead's products the partner sells
LABEL_POINTS = 5  # R5.7.4 per capability label held ...
LABEL_POINTS_MAX = 15  # ... at most
ACCEPTANCE_POINTS = 15  # R5.7.5 × acceptance rate (accepted ÷ answered or expired HOs)
SLA_POINTS = 10  # R5.7.6 × SLA record (HOs answered within 3 working days ÷ all ended)
NEW_PARTNER_SHARE = 0.5  # R5.7.5/6 without any ended HO: half the points
PO_POINTS = 2  # R5.7.7 per PO verified in the last HISTORY_DAYS ...
PO_POINTS_MAX = 10  # ... at most
LOAD_PENALTY = 4  # R5.7.8 minus this per HO pending acceptance
MAX_PENDING = 5  # R5.7.9 with this many HOs pending, a partner is not eligible
MAX_SCORE = (
    INDUSTRY_POINTS
    + REGION_POINTS
    + PRODUCT_POINTS
    + LABEL_POINTS_MAX
    + ACCEPTANCE_POINTS
    + SLA_POINTS
    + PO_POINTS_MAX
)

# ---- R5.8 HO scenario requirements -------------------------------------------------------
MIN_ACCEPTANCE_RATE = 60  # percent, once MIN_ENDED_FOR_RATES HOs have ended
MIN_SLA_RECORD = 80  # percent, likewise
MIN_ENDED_FOR_RATES = 3
MIN_LABELS = 1
MIN_VERIFIED_POS = 2  # in the last HISTORY_DAYS


@dataclass
class Profile:
    """A partner's HO profile: declared and computed."""

    partner_id: int
    industries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # names of the labels held
    pending: int = 0
    accepted: int = 0
    declined: int = 0
    expired: int = 0
    verified_pos: int = 0

    @property
    def ended(self) -> int:
        return self.accepted + self.declined + self.expired

    @property
    def acceptance_rate(self) -> float | None:
        return round(self.accepted * 100 / self.ended, 1) if self.ended else None

    @property
    def sla_record(self) -> float | None:
        return round((self.ended - self.expired) * 100 / self.ended, 1) if self.ended else None

    def labels_of(self, codes, choices) -> list[str]:
        names = dict(choices)
        return [str(names.get(code, code)) for code in codes]

    @property
    def industry_labels(self) -> list[str]:
        return self.labels_of(self.industries, Industry.choices)

    @property
    def region_labels(self) -> list[str]:
        return self.labels_of(self.regions, Region.choices)

    @property
    def product_labels(self) -> list[str]:
        return self.labels_of(self.products, Product.choices)


def profiles(partner_ids, now: datetime | None = None) -> dict[int, Profile]:
    """The HO profiles of these partners (three queries, whatever their number; the
    statistics of each partner are cached against its change stamp, `figures_cache`)."""
    now = now or timezone.now()
    since = now - timedelta(days=HISTORY_DAYS)
    ids = list(partner_ids)
    found = {pk: Profile(pk) for pk in ids}
    for row in HOProfile.objects.filter(partner_id__in=ids):
        profile = found[row.partner_id]
        profile.industries = list(row.industries or [])
        profile.regions = list(row.regions or [])
        profile.products = list(row.products or [])
    held = (
        LabelApplication.objects.filter(partner_id__in=ids, state=LabelApplication.State.GRANTED)
        .select_related("label")
        .order_by("label__position", "label__code")
    )
    for application in held:
        names = found[application.partner_id].labels
        if application.label.name not in names:
            names.append(application.label.name)
    stats = figures_cache.cached_per_partner(
        f"ho-stats:{since:%Y-%m-%d}", ids, lambda missing: _stats(missing, since)
    )
    for pk, row in stats.items():
        for name, value in (row or {}).items():
            setattr(found[pk], name, value)
    return found


def _stats(ids: list[int], since: datetime) -> dict[int, dict]:
    """Pending HOs, HOs shared since `since` by outcome, and POs verified since then, per
    partner (one grouped query; its result cached per partner by `profiles`)."""
    recent_ho = Q(kind=K.HO, shared_at__gte=since)
    stats = (
        Opportunity.objects.filter(partner_id__in=ids)
        .filter(
            Q(kind=K.HO, state=S.PENDING)
            | recent_ho
            | Q(kind=K.PO, state=S.VERIFIED, verified_at__gte=since)
        )
        .values("partner_id")
        .annotate(
            pending=Count("id", filter=Q(kind=K.HO, state=S.PENDING)),
            accepted=Count("id", filter=recent_ho & Q(state=S.ACCEPTED)),
            declined=Count("id", filter=recent_ho & Q(state=S.DECLINED)),
            expired=Count("id", filter=recent_ho & Q(state=S.EXPIRED)),
            verified_pos=Count("id", filter=Q(kind=K.PO, state=S.VERIFIED, verified_at__gte=since)),
        )
        .order_by()
    )
    return {row.pop("partner_id"): row for row in stats}


def profile_of(partner_id: int, now: datetime | None = None) -> Profile:
    return profiles([partner_id], now)[partner_id]


# ---- R5.7 Scoring ------------------------------------------------------------------------


def _tidy(points: float) -> float:
    """Points to one decimal, whole numbers without one (20, not 20.0)."""
    points = round(float(points), 1)
    return int(points) if points.is_integer() else points


@dataclass
class Factor:
    code: str
    label: str
    points: float
    max_points: float
    detail: str

    def __post_init__(self):
        self.points = _tidy(self.points)
        self.max_points = _tidy(self.max_points)


@dataclass
class Candidate:
    partner: Partner
    profile: Profile
    factors: list[Factor]
    eligible: bool = True
    reason: str = ""

    @property
    def score(self) -> float:
        return _tidy(sum(f.points for f in self.factors))


def _rate_points(rate: float | None, weight: int) -> float:
    return weight * NEW_PARTNER_SHARE if rate is None else round(weight * rate / 100, 1)


def _percent(rate: float | None) -> str:
    return _("no HO ended yet") if rate is None else f"{rate:g}%"


def score(lead: VendorLead, profile: Profile) -> list[Factor]:
    """The per-factor points of one partner for one lead (R5.7.1–R5.7.8)."""
    lead_products = list(lead.products or [])
    matched = [p for p in lead_products if p in profile.products]
    product_share = len(matched) / len(lead_products) if lead_products else 0.0
    industry = dict(Industry.choices).get(lead.customer_industry, "–")
    region = dict(Region.choices).get(lead.customer_region, "–")
    industry_hit = bool(lead.customer_industry) and lead.customer_industry in profile.industries
    region_hit = bool(lead.customer_region) and lead.customer_region in profile.regions
    return [
        Factor(
            "industry",
            _("Industry"),
            INDUSTRY_POINTS if industry_hit else 0,
            INDUSTRY_POINTS,
            (_("serves %(industry)s") if industry_hit else _("does not serve %(industry)s"))
            % {"industry": industry},
        ),
        Factor(
            "region",
            _("Region"),
            REGION_POINTS if region_hit else 0,
            REGION_POINTS,
            (_("serves %(region)s") if region_hit else _("does not serve %(region)s"))
            % {"region": region},
        ),
        Factor(
            "products",
            _("Products"),
            round(PRODUCT_POINTS * product_share, 1),
            PRODUCT_POINTS,
            _("sells %(matched)s of the %(total)s products")
            % {"matched": len(matched), "total": len(lead_products)},
        ),
        Factor(
            "labels",
            _("Capability labels"),
            min(LABEL_POINTS * len(profile.labels), LABEL_POINTS_MAX),
            LABEL_POINTS_MAX,
            ", ".join(profile.labels) or _("none held"),
        ),
        Factor(
            "acceptance",
            _("Acceptance rate"),
            _rate_points(profile.acceptance_rate, ACCEPTANCE_POINTS),
            ACCEPTANCE_POINTS,
            _percent(profile.acceptance_rate),
        ),
        Factor(
            "sla",
            _("SLA record"),
            _rate_points(profile.sla_record, SLA_POINTS),
            SLA_POINTS,
            _percent(profile.sla_record),
        ),
        Factor(
            "pos",
            _("Verified POs"),
            min(PO_POINTS * profile.verified_pos, PO_POINTS_MAX),
            PO_POINTS_MAX,
            _("%(count)s in the last 12 months") % {"count": profile.verified_pos},
        ),
        Factor(
            "load",
            _("Pending HOs"),
            -LOAD_PENALTY * profile.pending,
            0,
            _("%(count)s waiting for acceptance") % {"count": profile.pending},
        ),
    ]


def rank(lead: VendorLead, now: datetime | None = None) -> list[Candidate]:
    """Every active PCE member, the eligible ones first by score (then by name), with the
    reason of those that are not eligible (R5.7.9). A fixed number of queries."""
    partners = list(
        Partner.objects.filter(
            is_active=True,
            pce_applications__state=PCEApplication.State.APPROVED,
        )
        .distinct()
        .order_by("name", "pk")
    )
    had_it = set(lead.shares.values_list("partner_id", flat=True)) if lead.pk else set()
    found = profiles([p.pk for p in partners], now)
    candidates = []
    for partner in partners:
        profile = found[partner.pk]
        candidate = Candidate(partner, profile, score(lead, profile))
        if partner.pk in had_it:
            candidate.eligible = False
            candidate.reason = _("had this lead before")
        elif profile.pending >= MAX_PENDING:
            candidate.eligible = False
            candidate.reason = _("%(count)s HOs already wait for its acceptance") % {
                "count": profile.pending
            }
        candidates.append(candidate)
    candidates.sort(key=lambda c: (not c.eligible, -c.score))
    return candidates


# ---- R5.8 What a partner must reach ------------------------------------------------------


@dataclass
class Requirement:
    code: str
    label: str
    target: str
    current: str
    met: bool
    hint: str = ""


def requirements(partner_id: int, now: datetime | None = None) -> list[Requirement]:
    """The HO scenario requirements and where the partner stands (R5.8)."""
    from partner_center.programs.selectors import is_pce_member

    profile = profile_of(partner_id, now)
    member = is_pce_member(partner_id)
    declared = bool(profile.industries and profile.regions and profile.products)
    enough = profile.ended >= MIN_ENDED_FOR_RATES

    def rate_text(rate):
        if enough:
            return _percent(rate)
        return _("%(rate)s, counted once %(count)s HOs have ended") % {
            "rate": _percent(rate),
            "count": MIN_ENDED_FOR_RATES,
        }

    acceptance = profile.acceptance_rate
    record = profile.sla_record
    return [
        Requirement(
            "pce",
            _("PCE program member"),
            _("member"),
            _("member") if member else _("not a member"),
            member,
            _("Apply to the PCE program: only members receive HOs."),
        ),
        Requirement(
            "profile",
            _("HO profile filled in"),
            _("at least one industry, region and product"),
            _("complete") if declared else _("incomplete"),
            declared,
            _("Say which industries, regions and products you serve."),
        ),
        Requirement(
            "labels",
            _("Capability labels held"),
            str(MIN_LABELS),
            str(len(profile.labels)),
            len(profile.labels) >= MIN_LABELS,
            _("Apply for a capability label under Certification."),
        ),
        Requirement(
            "pos",
            _("POs verified in the last 12 months"),
            str(MIN_VERIFIED_POS),
            str(profile.verified_pos),
            profile.verified_pos >= MIN_VERIFIED_POS,
            _("Share your own opportunities with the vendor (POs)."),
        ),
        Requirement(
            "acceptance",
            _("Acceptance rate"),
            f"{MIN_ACCEPTANCE_RATE}%",
            rate_text(acceptance),
            not enough or (acceptance or 0) >= MIN_ACCEPTANCE_RATE,
            _("Accept the HOs you can serve; decline only those you cannot."),
        ),
        Requirement(
            "sla",
            _("HOs answered within 3 working days"),
            f"{MIN_SLA_RECORD}%",
            rate_text(record),
            not enough or (record or 0) >= MIN_SLA_RECORD,
            _("Accept or decline every HO before its deadline."),
        ),
        Requirement(
            "load",
            _("HOs waiting for your acceptance"),
            _("fewer than %(count)s") % {"count": MAX_PENDING},
            str(profile.pending),
            profile.pending < MAX_PENDING,
            _("Answer the HOs in your inbox."),
        ),
    ]
