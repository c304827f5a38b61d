"""Settling duplicates: BD's decisions and closing a lead that lost."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError

from .. import duplicates as dup
from ..catalog import Rule
from ..models import DuplicatePair, Opportunity, VendorLead
from ..permissions import REVIEW_OPPORTUNITIES
from ..transitions import (
    LEAD,
)
from ._common import S, _decide_share, _lock
from .leads_and_hos import _lock_lead
from .review import _reject_duplicate

# ---- Duplicates --------------------------------------------------------------------------


@transaction.atomic
def duplicate_decide(*, actor, pair: DuplicatePair, decision: str, note: str = "") -> DuplicatePair:
    """BD settles a candidate pair: "apply" the rule's verdict (the loser is rejected, or
    the losing HO closed) or "dismiss" (not duplicates; the rules ignore the pair)."""
    require(actor, REVIEW_OPPORTUNITIES)
    items = [pair.po, pair.other_po or pair.lead]
    dup.lock_customer_keys(*items)
    pair = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    if pair.status != DuplicatePair.Status.OPEN:
        raise DomainError(_("This pair was settled already."), code="state")
    now = timezone.now()
    if decision == "dismiss":
        pair.status = DuplicatePair.Status.DISMISSED
    elif decision == "apply":
        verdict = dup.verdict_for(pair)
        if not verdict.decided:
            raise DomainError(verdict.explanation, code="undecided")
        loser = verdict.loser
        if isinstance(loser, VendorLead):
            assert isinstance(verdict.winner, Opportunity)  # a lead loses only to a PO
            lead_close(actor=actor, lead=loser, winner=verdict.winner, note=note)
        else:
            loser = _lock(loser)
            if loser.state == S.REJECTED:
                raise DomainError(_("The losing PO is rejected already."), code="state")
            _reject_duplicate(
                loser,
                winner=verdict.winner,
                actor=actor,
                transition="reject_duplicate",
                note=note,
            )
        pair.status = DuplicatePair.Status.RESOLVED
    else:
        raise DomainError(_("Unknown decision."), field="decision")
    pair.decided_by = actor
    pair.decided_at = now
    pair.decision_note = (note or "").strip()
    pair.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_event(
        actor=actor,
        subject=pair,
        verb=Verb.duplicate(decision),
        reason=pair.decision_note,
        partner_id=pair.po.partner_id,
    )
    return pair


def lead_close(*, actor, lead: VendorLead, winner: Opportunity, note: str = "") -> VendorLead:
    """The lead lost to an earlier verified PO: it leaves the pool; a pending share of it is
    withdrawn by the duplicate rule. An accepted share must be settled with that partner."""
    lead = _lock_lead(lead)
    if not LEAD.can(lead, "close"):
        return lead
    if lead.shares.filter(state=S.ACCEPTED).exists():
        raise DomainError(
            _("A partner accepted this HO already: settle it with that partner first."),
            code="accepted",
        )
    detail = dup.duplicate_detail(winner=winner, loser=lead)
    for share in lead.shares.select_for_update().filter(state=S.PENDING):
        _decide_share(
            share,
            "withdraw_duplicate",
            actor=actor,
            rule=Rule.DUPLICATE,
            note=(note or "").strip(),
            detail=detail,
        )
    LEAD.apply(
        lead,
        "close",
        actor=actor,
        changes={"closed_at": timezone.now(), "closed_by": actor, "close_detail": detail},
        reason=note,
        data=detail,
        locked=True,
    )
    return lead
