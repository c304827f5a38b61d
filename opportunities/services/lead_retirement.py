"""Leads BD retires and reopens (R4.2)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.errors import DomainError
from partner_center.notifications.messages import msg

from .. import duplicates as dup
from .. import protection
from ..catalog import LeadCloseReason, Rule
from ..models import VendorLead
from ..permissions import REVIEW_OPPORTUNITIES
from ..transitions import (
    LEAD,
)
from ._common import S, _decide_share, _notify_partner
from .leads_and_hos import _lock_lead

# ---- Leads BD retires (R4.2) -------------------------------------------------------------


@transaction.atomic
def lead_retire(*, actor, lead: VendorLead, reason: str, note: str = "") -> VendorLead:
    """BD closes a lead from the pool with a reason: it wins no duplicate any more and a
    pending share of it is withdrawn. An accepted share must be settled with its partner."""
    require(actor, REVIEW_OPPORTUNITIES)
    if reason not in LeadCloseReason.values:
        raise DomainError(_("Choose why the lead is closed."), field="reason")
    note = (note or "").strip()
    if reason == LeadCloseReason.OTHER and not note:
        raise DomainError(_("Say why the lead is closed."), field="note")
    lead = _lock_lead(lead)
    LEAD.check(lead, "retire")
    if lead.shares.filter(protection.live_q()).exists():
        raise DomainError(
            _("A partner accepted this HO: it must close the deal or its protection must end."),
            code="accepted",
        )
    now = timezone.now()
    for share in lead.shares.select_for_update().filter(state=S.PENDING):
        _decide_share(share, "withdraw", actor=actor, rule=Rule.LEAD_CLOSED, note=note, at=now)
        _notify_partner(
            share,
            "opportunities.ho_withdrawn",
            msg("HO #%(id)s was withdrawn by the vendor", id=share.pk),
            share.customer_name,
        )
    LEAD.apply(
        lead,
        "retire",
        actor=actor,
        changes={
            "closed_at": now,
            "closed_by": actor,
            "close_reason": reason,
            "close_note": note,
            "close_detail": {"rule": Rule.LEAD_CLOSED, "reason": reason},
        },
        reason=note,
        data={"reason": reason},
        locked=True,
    )
    return lead


@transaction.atomic
def lead_reopen(*, actor, lead: VendorLead, note: str) -> VendorLead:
    """BD puts a closed lead back in the pool, saying why."""
    require(actor, REVIEW_OPPORTUNITIES)
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say why the lead is reopened."), field="note")
    lead = _lock_lead(lead)
    LEAD.check(lead, "reopen")
    dup.lock_customer_keys(lead)
    LEAD.apply(
        lead,
        "reopen",
        actor=actor,
        changes={
            "closed_at": None,
            "closed_by": None,
            "close_reason": "",
            "close_note": "",
            "close_detail": {},
        },
        reason=note,
        locked=True,
    )
    dup.record_pairs(lead, dup.find_duplicates(lead))
    return lead
