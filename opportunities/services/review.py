"""POs: BD's review, verification, return for changes and rejection."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.accounts.permissions import Role
from partner_center.errors import DomainError
from partner_center.notifications.messages import join, msg
from partner_center.validators import check_date

from .. import duplicates as dup
from .. import protection
from ..catalog import RejectionReason, Rule
from ..models import DuplicatePair, Opportunity, VendorLead
from ..permissions import REVIEW_OPPORTUNITIES
from ..transitions import (
    PO,
    PO_OPEN_STATES,
    RETURNABLE_FIELDS,
)
from ._common import _check_deadline, _lock, _notify_partner
from .pos import _fmt

# ---- PO: BD review, verification, return, rejection --------------------------------------


def _names(po: Opportunity) -> dict:
    """The customer and the project a message to the partner names."""
    return {"customer": po.customer_name, "project": po.project_name}


@transaction.atomic
def po_start_verification(*, actor, po: Opportunity, note: str = "") -> Opportunity:
    """Review (审核) passed: submitted → under verification."""
    require(actor, REVIEW_OPPORTUNITIES)
    po = _lock(po)
    PO.check(po, "start_verification")
    _check_deadline(po)
    PO.apply(
        po,
        "start_verification",
        actor=actor,
        changes={
            "reviewed_at": timezone.now(),
            "reviewed_by": actor,
            # The reviewer becomes the BD owner unless BD assigned one (issue [5]).
            "bd_owner": po.bd_owner or (actor if actor.role == Role.BD else None),
        },
        reason=note,
        locked=True,
    )
    _notify_partner(
        po,
        "opportunities.review_passed",
        msg("PO #%(id)s passed review", id=po.pk),
        msg("%(customer)s, %(project)s: BD is now verifying it with the customer.", **_names(po)),
    )
    return po


@transaction.atomic
def po_return_for_changes(*, actor, po: Opportunity, fields, comment: str) -> Opportunity:
    """BD unlocks named fields with a comment; the partner edits them and resubmits."""
    require(actor, REVIEW_OPPORTUNITIES)
    fields = sorted(set(fields or ()))
    if not fields:
        raise DomainError(_("Choose the fields the partner should change."), field="fields")
    bad = [f for f in fields if f not in RETURNABLE_FIELDS]
    if bad:
        raise DomainError(_("These fields cannot be unlocked: %s") % ", ".join(bad), field="fields")
    if not (comment or "").strip():
        raise DomainError(_("Tell the partner what to change."), field="comment")
    po = _lock(po)
    PO.check(po, "return_for_changes")
    _check_deadline(po)
    PO.apply(
        po,
        "return_for_changes",
        actor=actor,
        changes={
            "unlocked_fields": fields,
            "return_comment": comment.strip(),
            "returned_at": timezone.now(),
        },
        reason=comment.strip(),
        data={"fields": fields},
        locked=True,
    )
    _notify_partner(
        po,
        "opportunities.returned",
        msg("PO #%(id)s needs changes", id=po.pk),
        msg(
            "BD asks you to change: %(fields)s. %(comment)s",
            fields=join(
                *(getattr(Opportunity._meta.get_field(f), "verbose_name", f) for f in fields),
                sep=", ",
            ),
            comment=po.return_comment,
        ),
    )
    return po


def _reject(
    po: Opportunity,
    *,
    actor,
    transition: str,
    rule: str,
    reason: str = "",
    note: str = "",
    detail: dict | None = None,
) -> Opportunity:
    """Reject a locked PO and tell its partner which rule decided."""
    PO.apply(
        po,
        transition,
        actor=actor,
        changes={
            "decided_at": timezone.now(),
            "decided_by": actor if getattr(actor, "pk", None) else None,
            "decision_rule": rule,
            "decision_reason": reason,
            "decision_note": note.strip(),
            "decision_detail": detail or {"rule": rule},
        },
        reason=note.strip(),
        data={"rule": rule, "reason": reason, **(detail or {})},
        locked=True,
    )
    _notify_partner(
        po,
        "opportunities.rejected",
        msg("PO #%(id)s was rejected", id=po.pk),
        msg("%(customer)s, %(project)s. Open it to see the rule that decided.", **_names(po)),
    )
    return po


def _reject_duplicate(
    loser: Opportunity, *, winner, actor, transition: str, note: str = ""
) -> Opportunity:
    """Reject a locked PO that duplicates `winner` (a PO or lead verified before it)."""
    return _reject(
        loser,
        actor=actor,
        transition=transition,
        rule=Rule.DUPLICATE,
        reason=RejectionReason.DUPLICATE,
        note=note,
        detail=dup.duplicate_detail(winner=winner, loser=loser),
    )


@transaction.atomic
def po_reject(*, actor, po: Opportunity, reason: str, note: str = "") -> Opportunity:
    """BD rejects a pending PO for one of the validity reasons."""
    require(actor, REVIEW_OPPORTUNITIES)
    if reason not in RejectionReason.values:
        raise DomainError(_("Choose the reason for the rejection."), field="reason")
    po = _lock(po)
    PO.check(po, "reject")
    _check_deadline(po)
    rule = Rule.DUPLICATE if reason == RejectionReason.DUPLICATE else Rule.VALIDITY
    return _reject(po, actor=actor, transition="reject", rule=rule, reason=reason, note=note)


@transaction.atomic
def po_verify(
    *,
    actor,
    po: Opportunity,
    account_manager: str,
    confirmed_on: date | None,
    note: str = "",
) -> Opportunity:
    """Verification (验证) passed, after the account manager confirmed with the customer.

    Under the customer's lock: an HO the vendor created earlier wins (refused, decide it in
    the duplicate queue); another partner's duplicate verified first wins (this PO is
    rejected by the rule). Otherwise this PO wins, and other partners' pending duplicates
    are rejected by the rule. Returns the PO in its new state (verified or rejected)."""
    require(actor, REVIEW_OPPORTUNITIES)
    if not (account_manager or "").strip():
        raise DomainError(
            _("Name the account manager who confirmed with the customer."), field="account_manager"
        )
    today = timezone.localdate()
    check_date(confirmed_on, field="account_manager_confirmed_on")
    if confirmed_on is None or confirmed_on > today:
        raise DomainError(
            _("Give the day the account manager confirmed (today or earlier)."),
            field="account_manager_confirmed_on",
        )
    dup.lock_customer_keys(po)
    po = _lock(po)
    PO.check(po, "verify")
    _check_deadline(po)
    now = timezone.now()
    matches = dup.find_duplicates(po)
    leads = [
        m.other for m in matches if isinstance(m.other, VendorLead) and dup.ho_wins(m.other, now)
    ]
    if leads:
        lead = min(leads, key=lambda lead: lead.crm_created_at)
        raise DomainError(
            _(
                "The vendor created the same opportunity in its CRM at %(time)s (HO %(crm)s), "
                "before this verification: the HO wins. Settle it in the duplicate queue."
            )
            % {"time": _fmt(lead.crm_created_at), "crm": lead.crm_id},
            code="duplicate",
        )
    winner = dup.first_verified(
        m.other
        for m in matches
        if isinstance(m.other, Opportunity) and m.other.partner_id != po.partner_id
    )
    if winner is not None:
        _reject_duplicate(po, winner=winner, actor=actor, transition="reject")
        _resolve_pairs(po, [winner])
        return po
    PO.apply(
        po,
        "verify",
        actor=actor,
        changes={
            "verified_at": now,
            "verified_by": actor,
            "account_manager": account_manager.strip(),
            "account_manager_confirmed_on": confirmed_on,
            **protection.start_changes(now),
        },
        reason=note,
        data={"account_manager": account_manager.strip(), "confirmed_on": str(confirmed_on)},
        locked=True,
    )
    _notify_partner(
        po,
        "opportunities.verified",
        msg("PO #%(id)s passed verification", id=po.pk),
        msg("%(customer)s, %(project)s: your progress updates now take effect.", **_names(po)),
    )
    losers = [
        m.other
        for m in matches
        if isinstance(m.other, Opportunity)
        and m.other.partner_id != po.partner_id
        and m.other.state in PO_OPEN_STATES
    ]
    rejected = []
    for loser in sorted(losers, key=lambda o: o.pk):
        loser = _lock(loser)
        if loser.state in PO_OPEN_STATES:
            _reject_duplicate(loser, winner=po, actor=None, transition="reject_duplicate")
            rejected.append(loser)
    _resolve_pairs(po, rejected)
    dup.record_pairs(po, [m for m in matches if m.other not in rejected])
    return po


def _resolve_pairs(po: Opportunity, others) -> None:
    for other in others:
        if isinstance(other, VendorLead):
            lookup = {"po": po, "lead": other}
        else:
            first, second = sorted((po, other), key=lambda o: o.pk)
            lookup = {"po": first, "other_po": second}
        DuplicatePair.objects.filter(**lookup).exclude(
            status=DuplicatePair.Status.DISMISSED
        ).update(status=DuplicatePair.Status.RESOLVED, decided_at=timezone.now())
