"""Every read the pages and the API need, scoped to the user and with a fixed number of
queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import get_for_user, is_vendor_staff, scope_to_partner
from partner_center.audit.models import Event
from partner_center.audit.verbs import Verb
from partner_center.paging import CheckedWalk
from partner_center.workdays import working_days_left_many
from partner_center.workflow import verb_label

from . import duplicates as dup
from . import protection, sla
from .catalog import Product, RejectionReason, Rule, Stage
from .models import DuplicatePair, Opportunity, POImport, VendorLead
from .transitions import (
    HO,
    LIVE_SHARE_STATES,
    PO,
    PO_OPEN_STATES,
    SLA_OPEN_STATES,
    SLA_WORKING_DAYS,
    field_label,
)

S = Opportunity.State
K = Opportunity.Kind
STATE_LABELS = dict(S.choices)


# ---- Opportunities -----------------------------------------------------------------------


def opportunities_for(user) -> QuerySet[Opportunity]:
    """The opportunities the user may see: its partner's, or all for vendor staff."""
    return scope_to_partner(
        Opportunity.objects.select_related("partner", "owner", "bd_owner"), user
    )


def opportunity_for_user(user, pk: int) -> Opportunity:
    return get_for_user(
        Opportunity.objects.select_related(
            "partner", "lead", "verified_by", "shared_by", "owner", "bd_owner"
        ),
        user,
        pk=pk,
    )


def review_queue() -> QuerySet[Opportunity]:
    """POs waiting for BD, the nearest deadline first."""
    return (
        Opportunity.objects.filter(kind=K.PO, state__in=PO_OPEN_STATES)
        .select_related("partner", "owner", "bd_owner")
        .order_by("deadline", "id")
    )


def attach_days_left(rows, now: datetime | None = None):
    """Set `days_left` on each row with a running clock (one calendar query in all)."""
    now = now or timezone.now()
    rows = list(rows)
    running = [r for r in rows if r.state in SLA_OPEN_STATES and r.deadline]
    for row, left in zip(
        running, working_days_left_many(now, [r.deadline for r in running]), strict=True
    ):
        row.days_left = left
    cache: dict = {}
    for row in rows:
        if not hasattr(row, "days_left"):
            row.days_left = None
        # R4.3: a deadline over a year whose schedule is not confirmed may still move.
        row.deadline_provisional = sla.is_provisional(row, cache=cache)
    return rows


def contact_visible(opportunity: Opportunity, user) -> bool:
    """A partner sees an HO's contact person and phone only once it accepted the HO."""
    return opportunity.kind == K.PO or opportunity.state == S.ACCEPTED or is_vendor_staff(user)


# ---- Decisions in words ------------------------------------------------------------------


def decision_text(opportunity: Opportunity) -> str:
    """Which rule rejected, declined or reclaimed this item, in the reader's language,
    without naming any other partner."""
    rule = opportunity.decision_rule
    deadline = (
        timezone.localtime(opportunity.deadline).strftime("%Y-%m-%d %H:%M")
        if opportunity.deadline
        else "–"
    )
    if rule == Rule.SLA_EXPIRED:
        if opportunity.kind == K.PO:
            return _(
                "Rejected automatically: the verification deadline (%(days)s working days, until "
                "%(deadline)s) expired."
            ) % {"deadline": deadline, "days": SLA_WORKING_DAYS[K.PO]}
        return _(
            "Declined automatically: not accepted within %(days)s working days (until "
            "%(deadline)s); the vendor reclaimed it into its pool."
        ) % {"deadline": deadline, "days": SLA_WORKING_DAYS[K.HO]}
    if rule == Rule.DUPLICATE:
        detail = opportunity.decision_detail or {}
        text = (
            dup.explain_duplicate(detail)
            if detail.get("winner_time")
            else _("Rejected as a duplicate of an earlier opportunity.")
        )
        if opportunity.kind == K.HO:
            text = _("Withdrawn by the vendor as a duplicate.") + " " + text
        return text
    if rule == Rule.VALIDITY:
        reason = dict(RejectionReason.choices).get(opportunity.decision_reason, "")
        return _("Failed the validity check: %(reason)s.") % {"reason": reason}
    if rule == Rule.PARTNER_DECLINED:
        return _("Declined by the partner; the vendor reclaimed it into its pool.")
    if rule == Rule.LEAD_CLOSED:
        return _("Withdrawn: the vendor closed this lead and no longer pursues it with partners.")
    return ""


# ---- Timeline ----------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    created_at: datetime
    who: str
    label: str
    from_state: str
    to_state: str
    reason: str
    verb: str = ""


def _value_text(name: str, value) -> str:
    if value in (None, ""):
        return "–"
    if name == "amount":
        from partner_center.money import cny

        return cny(value)
    if name == "stage":
        return str(dict(Stage.choices).get(value, value))
    if name == "products":
        labels = dict(Product.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    return str(value)


def _event_reason(event: Event, opportunity: Opportunity | None) -> str:
    data = event.data or {}
    parts = []
    decided = (
        PO.verb("reject"),
        PO.verb("expire"),
        HO.verb("expire"),
        HO.verb("withdraw_duplicate"),
    )
    if event.verb in decided and opportunity:
        parts.append(decision_text(opportunity))
    if event.verb == PO.verb("return_for_changes"):
        fields = ", ".join(field_label(f) for f in data.get("fields", []))
        parts.append(_("Unlocked: %(fields)s.") % {"fields": fields})
    if event.verb == PO.verb("edit"):
        fields = ", ".join(field_label(f) for f in data.get("fields", []))
        parts.append(_("Changed: %(fields)s.") % {"fields": fields})
    if event.verb == Verb.OPPORTUNITY_PROGRESS:
        for name, (_old, new) in (data.get("changes") or {}).items():
            parts.append(f"{field_label(name)}: {_value_text(name, new)}")
    if event.verb == Verb.OPPORTUNITY_CORE_LABEL:
        parts.append(_("Core label set.") if data.get("core_label") else _("Core label removed."))
    if event.reason and event.verb not in (PO.verb("expire"), HO.verb("expire")):
        parts.append(event.reason)
    return " · ".join(p for p in parts if p)


def _who(event: Event, viewer, partner_id: int | None) -> str:
    if not event.actor_id:
        return _("System")
    if is_vendor_staff(viewer) or event.actor.partner_id == partner_id:
        return str(event.actor)
    return _("Vendor BD")


def timeline(opportunity: Opportunity, viewer) -> list[TimelineEntry]:
    """The opportunity's transitions and updates, oldest first, for this viewer."""
    ct = ContentType.objects.get_for_model(Opportunity)
    events = Event.objects.filter(subject_type=ct, subject_id=opportunity.pk).select_related(
        "actor"
    )
    return [
        TimelineEntry(
            created_at=e.created_at,
            who=_who(e, viewer, opportunity.partner_id),
            label=verb_label(e.verb),
            from_state=str(STATE_LABELS.get(e.from_state, "")),
            to_state=str(STATE_LABELS.get(e.to_state, "")),
            reason=_event_reason(e, opportunity),
            verb=e.verb,
        )
        for e in events
    ]


def lead_timeline(lead: VendorLead, viewer) -> list[TimelineEntry]:
    """The lead's own events and those of its shares (BD only)."""
    lead_ct = ContentType.objects.get_for_model(VendorLead)
    opp_ct = ContentType.objects.get_for_model(Opportunity)
    shares = {s.pk: s for s in lead.shares.select_related("partner")}
    events = (
        Event.objects.filter(
            Q(subject_type=lead_ct, subject_id=lead.pk)
            | Q(subject_type=opp_ct, subject_id__in=list(shares))
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
    entries = []
    for e in events:
        share = shares.get(e.subject_id) if e.subject_type_id == opp_ct.pk else None
        label = verb_label(e.verb)
        if share is not None:
            label = f"{label} · {share.partner.name}"
        states = STATE_LABELS if share is not None else dict(VendorLead.State.choices)
        entries.append(
            TimelineEntry(
                created_at=e.created_at,
                who=_who(e, viewer, None),
                label=label,
                from_state=str(states.get(e.from_state, "")),
                to_state=str(states.get(e.to_state, "")),
                reason=_event_reason(e, share),
                verb=e.verb,
            )
        )
    return entries


# ---- Likely duplicates, as a partner may see them ----------------------------------------


@dataclass
class DuplicateHint:
    own: bool  # one of the viewer's own POs (linked); otherwise anonymous
    opportunity_id: int | None
    kind_label: str
    state_label: str
    matched_on: str
    products: list[str]
    moment_label: str
    moment: datetime | None
    blocking: bool


def duplicate_hints(po: Opportunity) -> list[DuplicateHint]:
    """Likely duplicates of `po` as its own partner may see them: other partners' items
    appear only by kind, state and deciding time, never by partner, project or amount."""
    labels = dict(Product.choices)
    hints = []
    for m in dup.find_duplicates(po):
        products = [str(labels.get(p, p)) for p in m.products]
        matched_on = str(dict(DuplicatePair.Match.choices)[m.matched_on])
        if isinstance(m.other, VendorLead):
            hints.append(
                DuplicateHint(
                    own=False,
                    opportunity_id=None,
                    kind_label=_("An opportunity the vendor holds (HO)"),
                    state_label=_("In the vendor's CRM"),
                    matched_on=matched_on,
                    products=products,
                    moment_label=_("created in the CRM at"),
                    moment=m.other.crm_created_at,
                    blocking=False,
                )
            )
            continue
        other = m.other
        own = other.partner_id == po.partner_id
        verified = protection.is_live(other)
        hints.append(
            DuplicateHint(
                own=own,
                opportunity_id=other.pk if own else None,
                kind_label=_("Your PO #%(id)s") % {"id": other.pk}
                if own
                else _("A PO of another partner"),
                state_label=str(STATE_LABELS[other.state]),
                matched_on=matched_on,
                products=products,
                moment_label=_("verified at") if verified else _("submitted at"),
                moment=other.verified_at if verified else other.submitted_at,
                blocking=verified and not own,
            )
        )
    return hints


# ---- HO pool and duplicate queue (BD) ----------------------------------------------------


def live_share_of_lead() -> QuerySet[Opportunity]:
    """The share that holds the outer lead now (pending or accepted), for subqueries."""
    return Opportunity.objects.filter(lead=OuterRef("pk"), state__in=LIVE_SHARE_STATES)


def pool_leads() -> QuerySet[VendorLead]:
    """Leads with the share that holds them now (if any): state, partner, deadline. (No
    `held` flag in the SELECT: PostgreSQL hashes every live share for it on each page.)"""
    live = live_share_of_lead().order_by()
    return (
        VendorLead.objects.select_related("bd_owner")
        .annotate(
            share_id=Subquery(live.values("pk")[:1]),
            share_state=Subquery(live.values("state")[:1]),
            share_partner=Subquery(live.values("partner__name")[:1]),
            share_deadline=Subquery(live.values("deadline")[:1]),
        )
        .order_by("-crm_created_at", "-id")
    )


def lead_status(lead) -> str:
    if lead.state == VendorLead.State.CLOSED:
        return "closed"
    if getattr(lead, "share_state", None):
        return lead.share_state
    return "pool"


def _pairs_other_side_live() -> QuerySet[DuplicatePair]:
    """Open candidate pairs whose second item (the other PO or the HO lead) is still live.
    The lead's liveness is probed per pair (an EXISTS on its key), never by reading every
    pooled lead."""
    return (
        DuplicatePair.objects.filter(status=DuplicatePair.Status.OPEN)
        .annotate(
            lead_live=Exists(
                VendorLead.objects.filter(pk=OuterRef("lead_id")).filter(protection.lead_live_q())
            )
        )
        .filter(
            Q(other_po__isnull=True, lead_live=True)
            | (Q(other_po__isnull=False) & dup.live_po_q("other_po__"))
        )
        .select_related("po", "po__partner", "other_po", "other_po__partner", "lead")
    )


def duplicate_queue() -> QuerySet[DuplicatePair]:
    """Open candidate pairs whose items are both still live."""
    return _pairs_other_side_live().filter(dup.live_po_q("po__")).order_by("-detected_at", "-id")


def open_pairs() -> QuerySet[DuplicatePair]:
    """Every open pair, live or not: what the duplicate queue's filters narrow before
    `checked_pairs` keeps the live ones."""
    return DuplicatePair.objects.filter(status=DuplicatePair.Status.OPEN)


def checked_pairs(pairs: QuerySet[DuplicatePair], batch: int = 100) -> CheckedWalk:
    """`pairs` (open pairs, filtered, ordered) that `duplicate_queue()` holds, walked in their
    index (`duplicate_open` for the queue's order) and checked a batch of keys at a time:
    with the liveness of both items in the same query PostgreSQL misjudges how many pairs
    pass and joins and sorts every open pair instead (issue [9]: 150-280 ms at 1,000,000
    opportunities)."""
    return CheckedWalk(pairs.values_list("pk", flat=True), duplicate_queue().in_bulk, batch)


def duplicates_by_deadline(limit: int) -> list[DuplicatePair]:
    """The first `limit` pairs of `duplicate_queue()`, the PO's nearest deadline first (no
    deadline last), for BD's to-do. A live PO is either waiting for verification or
    protected: each kind is walked in its own (deadline, id) index, probing the open pairs of
    one PO at a time, and the two walks are merged."""
    pairs = open_pairs().filter(po__kind=K.PO)
    walks = (
        pairs.filter(po__state__in=dup.PO_WAITING_STATES),
        pairs.filter(protection.live_q(prefix="po__")),
    )
    rows: list[DuplicatePair] = []
    for walk in walks:
        rows += checked_pairs(walk.order_by("po__deadline", "po_id", "pk"), limit)[:limit]
    rows.sort(key=lambda p: (p.po.deadline is None, p.po.deadline or p.detected_at, p.po_id, p.pk))
    return rows[:limit]


def imports_for(user) -> QuerySet[POImport]:
    return scope_to_partner(POImport.objects.select_related("created_by"), user)
