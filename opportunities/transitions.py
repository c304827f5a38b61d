"""The lifecycles of POs and HOs, and which fields a partner may edit in which state.

Everything that changes an opportunity's state looks up its transition here (services,
the sweep, pages, API, admin); everything that edits fields asks `partner_editable_fields`.
Change a rule here and every door follows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partner_center.errors import DomainError

from .models import Opportunity

S = Opportunity.State
K = Opportunity.Kind

PARTNER, BD, SYSTEM = "partner", "bd", "system"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    by: str  # partner, bd or system
    label: str


def _t(name, sources, target, by, label) -> Transition:
    return Transition(name, frozenset(sources), target, by, label)


# PO: draft → submitted → under verification → verified | rejected; returned for changes in
# between. A submitted PO is never withdrawn by the partner: only BD (or the SLA) ends it.
PO_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t("submit", {S.DRAFT}, S.SUBMITTED, PARTNER, gettext_lazy("Submitted")),
        _t("resubmit", {S.RETURNED}, S.SUBMITTED, PARTNER, gettext_lazy("Resubmitted")),
        _t(
            "start_verification",
            {S.SUBMITTED},
            S.UNDER_VERIFICATION,
            BD,
            gettext_lazy("Review passed, verification started"),
        ),
        _t(
            "return_for_changes",
            {S.SUBMITTED, S.UNDER_VERIFICATION},
            S.RETURNED,
            BD,
            gettext_lazy("Returned for changes"),
        ),
        _t("verify", {S.UNDER_VERIFICATION}, S.VERIFIED, BD, gettext_lazy("Verification passed")),
        _t(
            "reject",
            {S.SUBMITTED, S.UNDER_VERIFICATION, S.RETURNED},
            S.REJECTED,
            BD,
            gettext_lazy("Rejected"),
        ),
        # The duplicate rule may also take back a verification (an HO created earlier in
        # the CRM wins against a PO verified later), decided by BD in the duplicate queue.
        _t(
            "reject_duplicate",
            {S.SUBMITTED, S.UNDER_VERIFICATION, S.RETURNED, S.VERIFIED},
            S.REJECTED,
            BD,
            gettext_lazy("Rejected as a duplicate"),
        ),
        _t(
            "expire",
            {S.SUBMITTED, S.UNDER_VERIFICATION, S.RETURNED},
            S.REJECTED,
            SYSTEM,
            gettext_lazy("Rejected: verification deadline expired"),
        ),
    )
}

# HO share: pending acceptance → accepted | declined | expired; declined and expired shares
# put the lead back in the pool (there is no pending or accepted share of it any more).
HO_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t("accept", {S.PENDING}, S.ACCEPTED, PARTNER, gettext_lazy("Accepted")),
        _t(
            "decline",
            {S.PENDING},
            S.DECLINED,
            PARTNER,
            gettext_lazy("Declined, reclaimed into the pool"),
        ),
        _t(
            "withdraw_duplicate",
            {S.PENDING},
            S.DECLINED,
            BD,
            gettext_lazy("Withdrawn as a duplicate"),
        ),
        _t(
            "expire",
            {S.PENDING},
            S.EXPIRED,
            SYSTEM,
            gettext_lazy("Declined automatically: acceptance deadline expired, reclaimed"),
        ),
    )
}

TRANSITIONS = {K.PO: PO_TRANSITIONS, K.HO: HO_TRANSITIONS}

# States whose SLA clock runs; the sweep ends them when their deadline passes.
PO_OPEN_STATES = (S.SUBMITTED, S.UNDER_VERIFICATION, S.RETURNED)
HO_OPEN_STATES = (S.PENDING,)
SLA_OPEN_STATES = PO_OPEN_STATES + HO_OPEN_STATES
SLA_WORKING_DAYS = {K.PO: 10, K.HO: 3}
# What the sweep does to an overdue item of each kind.
EXPIRED_STATE = {K.PO: S.REJECTED, K.HO: S.EXPIRED}
# Items that count for the PO/HO assessment and take progress updates.
ACTIVE_STATES = (S.VERIFIED, S.ACCEPTED)
LIVE_SHARE_STATES = (S.PENDING, S.ACCEPTED)


def transition(kind: str, name: str) -> Transition:
    return TRANSITIONS[kind][name]


def check(opportunity: Opportunity, name: str) -> Transition:
    """The transition `name` for this opportunity, or a DomainError saying why not."""
    table = TRANSITIONS[opportunity.kind]
    if name not in table:
        raise DomainError(_("This action does not apply to this kind of opportunity."))
    t = table[name]
    if opportunity.state not in t.sources:
        raise DomainError(
            _("Not possible while the opportunity is “%(state)s”.")
            % {"state": opportunity.get_state_display()},
            code="state",
        )
    return t


def can(opportunity: Opportunity, name: str) -> bool:
    t = TRANSITIONS[opportunity.kind].get(name)
    return bool(t and opportunity.state in t.sources)


# ---- Field locks -------------------------------------------------------------------------

# Everything a partner writes into a PO.
PO_FIELDS = (
    "customer_name",
    "customer_credit_code",
    "customer_industry",
    "customer_region",
    "contact_name",
    "contact_phone",
    "project_name",
    "products",
    "amount",
    "expected_close_date",
    "description",
)
# Locked once a PO passed verification: who the customer is and what the project is.
IDENTITY_FIELDS = (
    "customer_name",
    "customer_credit_code",
    "customer_industry",
    "customer_region",
    "project_name",
    "products",
)
# What a progress update changes (after verification or acceptance).
PROGRESS_FIELDS = (
    "stage",
    "amount",
    "expected_close_date",
    "delivery_completed_on",
    "contact_name",
    "contact_phone",
    "description",
)
# Fields BD may unlock when returning a PO for changes.
RETURNABLE_FIELDS = PO_FIELDS
# Set by BD only.
BD_FIELDS = ("core_label",)

_NONE: tuple[str, ...] = ()
PARTNER_EDITABLE: dict[tuple[str, str], tuple[str, ...]] = {
    (K.PO, S.DRAFT): PO_FIELDS,
    (K.PO, S.SUBMITTED): _NONE,
    (K.PO, S.UNDER_VERIFICATION): _NONE,
    (K.PO, S.RETURNED): PO_FIELDS,  # narrowed to the fields BD unlocked, see below
    (K.PO, S.VERIFIED): PROGRESS_FIELDS,
    (K.PO, S.REJECTED): _NONE,
    (K.HO, S.PENDING): _NONE,
    (K.HO, S.ACCEPTED): PROGRESS_FIELDS,
    (K.HO, S.DECLINED): _NONE,
    (K.HO, S.EXPIRED): _NONE,
}


def partner_editable_fields(opportunity: Opportunity) -> frozenset[str]:
    """The fields the partner may change now (the same answer for pages, API and admin)."""
    allowed = frozenset(PARTNER_EDITABLE[(opportunity.kind, opportunity.state)])
    if opportunity.state == S.RETURNED:
        allowed &= frozenset(opportunity.unlocked_fields or ())
    return allowed


def field_label(name: str) -> str:
    return capfirst(str(Opportunity._meta.get_field(name).verbose_name))


def check_editable(opportunity: Opportunity, fields) -> None:
    """Refuse, naming the first locked field, when `fields` are not all editable now."""
    allowed = partner_editable_fields(opportunity)
    for name in fields:
        if name not in allowed:
            raise DomainError(
                _("“%(field)s” cannot be changed while the opportunity is “%(state)s”.")
                % {"field": field_label(name), "state": opportunity.get_state_display()},
                field=name,
                code="locked",
            )
