"""Deal protection (R4.1, rules in opportunities/protection.py): close, extend."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.errors import DomainError
from partner_center.notifications.messages import msg

from .. import protection
from ..catalog import LostReason, Stage
from ..models import Opportunity
from ..permissions import ACT_FOR_PARTNER, REVIEW_OPPORTUNITIES
from ..transitions import (
    PROTECTION,
)
from ._common import _lock, _notify, _notify_partner, bd_recipients
from .pos import _fmt

# ---- Deal protection (R4.1, rules in protection.py) --------------------------------------


def _progress_protection(actor, opp: Opportunity, stage_before, note: str) -> None:
    """A progress update that moves the stage forward restarts the protection period; one
    that reports the deal won or lost closes the protection."""
    if stage_before is None or not protection.is_live(opp):
        return
    if opp.stage in (Stage.WON, Stage.LOST):
        PROTECTION.apply(
            opp,
            "close_won" if opp.stage == Stage.WON else "close_lost",
            actor=actor,
            changes={
                "closed_at": timezone.now(),
                "lost_reason": LostReason.OTHER if opp.stage == Stage.LOST else "",
                "lost_note": (note or "").strip() if opp.stage == Stage.LOST else "",
            },
            reason=note,
            locked=True,
        )
        return
    if protection.stage_moves_forward(stage_before, opp.stage):
        until = protection.protection_end(timezone.now())
        if until > opp.protected_until:
            PROTECTION.apply(
                opp,
                "extend_by_progress",
                actor=actor,
                changes={
                    "protected_until": until,
                    "protection_remind_at": protection.reminder_at(until),
                    "protection_reminded_at": None,
                },
                data={"protected_until": until.isoformat(), "stage": opp.stage},
                locked=True,
            )


def _check_protection_live(opp: Opportunity) -> None:
    if not protection.is_live(opp):
        raise DomainError(_("This opportunity is not protected any more."), code="wrong_state")


@transaction.atomic
def opportunity_close(
    *, actor, opportunity: Opportunity, outcome: str, lost_reason: str = "", note: str = ""
) -> Opportunity:
    """The partner closes a protected deal as won or lost (lost: with a reason). The
    customer and products are free for other partners from then on."""
    opp = _lock(opportunity)
    require(actor, ACT_FOR_PARTNER, partner_id=opp.partner_id)
    if outcome not in ("won", "lost"):
        raise DomainError(_("Choose won or lost."), field="outcome")
    if outcome == "lost" and lost_reason not in LostReason.values:
        raise DomainError(_("Choose why the deal was lost."), field="lost_reason")
    if outcome == "lost" and lost_reason == LostReason.OTHER and not (note or "").strip():
        raise DomainError(_("Say why the deal was lost."), field="note", code="required")
    _check_protection_live(opp)
    PROTECTION.apply(
        opp,
        f"close_{outcome}",
        actor=actor,
        changes={
            "closed_at": timezone.now(),
            "stage": Stage.WON if outcome == "won" else Stage.LOST,
            "lost_reason": lost_reason if outcome == "lost" else "",
            "lost_note": (note or "").strip() if outcome == "lost" else "",
        },
        reason=(note or "").strip(),
        data={"lost_reason": lost_reason} if outcome == "lost" else {},
        locked=True,
    )
    return opp


@transaction.atomic
def protection_request_extension(*, actor, opportunity: Opportunity, note: str) -> Opportunity:
    """The partner asks BD for `EXTENSION_DAYS` more protection, saying why."""
    opp = _lock(opportunity)
    require(actor, ACT_FOR_PARTNER, partner_id=opp.partner_id)
    if not (note or "").strip():
        raise DomainError(_("Say why you need more time."), field="note")
    _check_protection_live(opp)
    if opp.extension_requested_at:
        raise DomainError(_("An extension request is waiting for BD already."), code="pending")
    PROTECTION.apply(
        opp,
        "request_extension",
        actor=actor,
        changes={"extension_requested_at": timezone.now(), "extension_request_note": note.strip()},
        reason=note.strip(),
        locked=True,
    )
    _notify(
        recipients=bd_recipients(),
        kind="opportunities.protection_extension_requested",
        title=msg("Protection extension requested for #%(id)s", id=opp.pk),
        body=f"{opp.partner.name} · {opp.customer_name}: {note.strip()}",
        opportunity=opp,
    )
    return opp


@transaction.atomic
def protection_decide_extension(
    *, actor, opportunity: Opportunity, approve: bool, reason: str = ""
) -> Opportunity:
    """BD approves (protection ends `EXTENSION_DAYS` later) or refuses (with a reason)."""
    require(actor, REVIEW_OPPORTUNITIES)
    opp = _lock(opportunity)
    if not opp.extension_requested_at:
        raise DomainError(_("No extension request is waiting."), code="state")
    if not approve and not (reason or "").strip():
        raise DomainError(_("Say why you refuse."), field="reason")
    _check_protection_live(opp)
    changes: dict = {"extension_requested_at": None, "extension_request_note": ""}
    if approve:
        until = protection.protection_end(
            max(opp.protected_until, timezone.now()), protection.EXTENSION_DAYS
        )
        changes.update(
            protected_until=until,
            protection_remind_at=protection.reminder_at(until),
            protection_reminded_at=None,
        )
    PROTECTION.apply(
        opp,
        "approve_extension" if approve else "refuse_extension",
        actor=actor,
        changes=changes,
        reason=(reason or "").strip(),
        data={"protected_until": opp.protected_until.isoformat()} if approve else {},
        locked=True,
    )
    until_text = _fmt(opp.protected_until)
    _notify_partner(
        opp,
        "opportunities.protection_extension_decided",
        msg("Protection of #%(id)s extended to %(until)s", id=opp.pk, until=until_text)
        if approve
        else msg("Protection extension for #%(id)s refused", id=opp.pk),
        (reason or "").strip(),
    )
    return opp
