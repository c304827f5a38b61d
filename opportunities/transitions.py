"""The lifecycles of POs, HO shares and HO leads, and which fields a partner may edit in which
state.

Everything that changes an opportunity's state takes its transition here (services, the
sweep, pages, API, admin) through `partner_center.workflow.Lifecycle`; everything that edits
fields asks `partner_editable_fields`. Change a rule here and every door follows. The event
verbs (`po.submitted`, `ho.accepted`, ...) are the ones written before the tables existed."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from partner_center.errors import DomainError
from partner_center.workflow import By, Lifecycle, t

from .models import Opportunity, VendorLead

S = Opportunity.State
K = Opportunity.Kind
LS = VendorLead.State

PARTNER, BD, SYSTEM = By.PARTNER, By.BD, By.SYSTEM

# PO: draft → submitted → under verification → verified | rejected; returned for changes in
# between. A submitted PO is never withdrawn by the partner: only BD (or the SLA) ends it.
PO = Lifecycle(
    key="po",
    model=Opportunity,
    where={"kind": K.PO},
    initial=("create",),
    transitions=[
        t("create", (), S.DRAFT, PARTNER, gettext_lazy("Draft created"), event="created"),
        t("edit", {S.DRAFT, S.RETURNED}, None, PARTNER, gettext_lazy("Edited"), event="edited"),
        t("submit", {S.DRAFT}, S.SUBMITTED, PARTNER, gettext_lazy("Submitted"), event="submitted"),
        t(
            "resubmit",
            {S.RETURNED},
            S.SUBMITTED,
            PARTNER,
            gettext_lazy("Resubmitted after changes"),
            event="resubmitted",
        ),
        t(
            "start_verification",
            {S.SUBMITTED},
            S.UNDER_VERIFICATION,
            BD,
            gettext_lazy("Review passed, verification started"),
            event="review_passed",
        ),
        t(
            "return_for_changes",
            {S.SUBMITTED, S.UNDER_VERIFICATION},
            S.RETURNED,
            BD,
            gettext_lazy("Returned for changes"),
            event="returned",
        ),
        t(
            "verify",
            {S.UNDER_VERIFICATION},
            S.VERIFIED,
            BD,
            gettext_lazy("Verification passed"),
            event="verified",
        ),
        t(
            "reject",
            {S.SUBMITTED, S.UNDER_VERIFICATION, S.RETURNED},
            S.REJECTED,
            BD,
            gettext_lazy("Rejected"),
            event="rejected",
        ),
        # The duplicate rule may also take back a verification (an HO created earlier in
        # the CRM wins against a PO verified later), decided by BD in the duplicate queue.
        # It writes the same event as a rejection; the timeline adds the rule that decided.
        t(
            "reject_duplicate",
            {S.SUBMITTED, S.UNDER_VERIFICATION, S.RETURNED, S.VERIFIED},
            S.REJECTED,
            BD,
            gettext_lazy("Rejected"),
            event="rejected",
        ),
        t(
            "expire",
            {S.SUBMITTED, S.UNDER_VERIFICATION, S.RETURNED},
            S.REJECTED,
            SYSTEM,
            gettext_lazy("Rejected automatically: verification deadline expired"),
            event="expired",
        ),
    ],
)

# HO share: pending acceptance → accepted | declined | expired; declined and expired shares
# put the lead back in the pool (there is no pending or accepted share of it any more).
HO = Lifecycle(
    key="ho",
    model=Opportunity,
    where={"kind": K.HO},
    initial=("share",),
    transitions=[
        t("share", (), S.PENDING, BD, gettext_lazy("Shared by the vendor"), event="shared"),
        t("accept", {S.PENDING}, S.ACCEPTED, PARTNER, gettext_lazy("Accepted"), event="accepted"),
        t(
            "decline",
            {S.PENDING},
            S.DECLINED,
            PARTNER,
            gettext_lazy("Declined, back in the vendor's pool"),
            event="declined",
        ),
        t(
            "withdraw_duplicate",
            {S.PENDING},
            S.DECLINED,
            BD,
            gettext_lazy("Withdrawn as a duplicate"),
            event="withdrawn",
        ),
        t(
            "withdraw",
            {S.PENDING},
            S.DECLINED,
            BD,
            gettext_lazy("Withdrawn: the vendor closed the lead"),
            event="withdrawn_closed",
        ),
        t(
            "expire",
            {S.PENDING},
            S.EXPIRED,
            SYSTEM,
            gettext_lazy("Declined automatically: acceptance deadline expired, reclaimed"),
            event="expired",
        ),
    ],
)

# HO lead (BD's pool): pooled → closed when it loses to an earlier verified PO. Sharing and
# corrections happen while it is pooled; a closed lead is final (its shares were settled).
LEAD = Lifecycle(
    key="lead",
    model=VendorLead,
    initial=("create",),
    transitions=[
        t("create", (), LS.POOLED, BD, gettext_lazy("Added to the pool"), event="created"),
        t("edit", {LS.POOLED}, None, BD, gettext_lazy("Details corrected"), event="edited"),
        t(
            "share",
            {LS.POOLED},
            None,
            BD,
            pgettext_lazy("HO lead step", "Shared with a partner"),
            event="shared",
        ),
        t(
            "close",
            {LS.POOLED},
            LS.CLOSED,
            BD,
            gettext_lazy("Closed as a duplicate"),
            event="closed",
        ),
        # R4.2: BD retires a lead the vendor dropped, with a reason, and may reopen it.
        t("retire", {LS.POOLED}, LS.CLOSED, BD, gettext_lazy("Closed by BD"), event="retired"),
        t("reopen", {LS.CLOSED}, LS.POOLED, BD, gettext_lazy("Reopened"), event="reopened"),
    ],
)

PS = Opportunity.Protection
# Deal protection (R4.1, rules in protection.py) of a verified PO or accepted HO: its own
# field `protection`, started by verification/acceptance.
PROTECTION = Lifecycle(
    key="protection",
    model=Opportunity,
    state_field="protection",
    where={},
    transitions=[
        t(
            "extend_by_progress",
            {PS.LIVE},
            None,
            PARTNER,
            gettext_lazy("Protection extended: the deal moved forward"),
            event="extended_by_progress",
        ),
        t("close_won", {PS.LIVE}, PS.WON, PARTNER, gettext_lazy("Closed: won"), event="won"),
        t("close_lost", {PS.LIVE}, PS.LOST, PARTNER, gettext_lazy("Closed: lost"), event="lost"),
        t(
            "request_extension",
            {PS.LIVE},
            None,
            PARTNER,
            gettext_lazy("Protection extension requested"),
            event="extension_requested",
        ),
        t(
            "approve_extension",
            {PS.LIVE},
            None,
            BD,
            gettext_lazy("Protection extension approved"),
            event="extension_approved",
        ),
        t(
            "refuse_extension",
            {PS.LIVE},
            None,
            BD,
            gettext_lazy("Protection extension refused"),
            event="extension_refused",
        ),
        t(
            "expire",
            {PS.LIVE},
            PS.EXPIRED,
            SYSTEM,
            gettext_lazy("Protection expired: the customer is free for other partners"),
            event="expired",
        ),
    ],
)

LIFECYCLES = {K.PO: PO, K.HO: HO}

# States whose SLA clock runs; the sweep ends them when their deadline passes.
PO_OPEN_STATES = (S.SUBMITTED, S.UNDER_VERIFICATION, S.RETURNED)
HO_OPEN_STATES = (S.PENDING,)
SLA_OPEN_STATES = PO_OPEN_STATES + HO_OPEN_STATES
SLA_WORKING_DAYS = {K.PO: 10, K.HO: 3}
# What the sweep does to an overdue item of each kind: the tables' `expire` rows.
EXPIRED_STATE = {kind: lc["expire"].target for kind, lc in LIFECYCLES.items()}
EXPIRED_VERB = {kind: lc.verb("expire") for kind, lc in LIFECYCLES.items()}
# Items that count for the PO/HO assessment and take progress updates.
ACTIVE_STATES = (S.VERIFIED, S.ACCEPTED)
LIVE_SHARE_STATES = (S.PENDING, S.ACCEPTED)


def lifecycle(opportunity: Opportunity) -> Lifecycle:
    return LIFECYCLES[opportunity.kind]


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
