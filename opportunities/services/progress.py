"""Progress updates after verification or acceptance, and BD's core label."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError

from ..models import Opportunity
from ..permissions import ACT_FOR_PARTNER, REVIEW_OPPORTUNITIES
from ..transitions import (
    ACTIVE_STATES,
    PROGRESS_FIELDS,
    check_editable,
)
from ._common import _apply, _jsonable, _lock, _normalize, _validate

# ---- Progress (after verification or acceptance) -----------------------------------------


@transaction.atomic
def opportunity_update_progress(
    *, actor, opportunity: Opportunity, changes: dict, note: str = ""
) -> Opportunity:
    """A progress update: stage, amount, close date, delivery date, contact, notes."""
    from .protection import _progress_protection

    opp = _lock(opportunity)
    require(actor, ACT_FOR_PARTNER, partner_id=opp.partner_id)
    if opp.state not in ACTIVE_STATES:
        raise DomainError(
            _("Progress updates take effect after verification (PO) or acceptance (HO)."),
            code="state",
        )
    unknown = set(changes) - set(PROGRESS_FIELDS)
    if unknown:
        check_editable(opp, sorted(unknown))
    values = _normalize(changes)
    candidates = [n for n, v in values.items() if getattr(opp, n) != v]
    check_editable(opp, candidates)
    before = {n: _jsonable(getattr(opp, n)) for n in candidates}
    changed = _apply(opp, {n: values[n] for n in candidates})
    note = (note or "").strip()
    if not changed and not note:
        raise DomainError(_("Change something or write a note."))
    if changed:
        _validate(opp, changed)
    if opp.delivery_completed_on and opp.delivery_completed_on > timezone.localdate():
        raise DomainError(
            _("The delivery cannot be completed in the future."), field="delivery_completed_on"
        )
    opp.last_progress_at = timezone.now()
    opp.save(update_fields=[*changed, "last_progress_at"])
    _progress_protection(actor, opp, before.get("stage"), note)
    record_event(
        actor=actor,
        subject=opp,
        verb=Verb.OPPORTUNITY_PROGRESS,
        reason=note,
        data={
            "changes": {n: [before[n], _jsonable(getattr(opp, n))] for n in candidates},
        },
    )
    return opp


@transaction.atomic
def opportunity_set_core_label(
    *, actor, opportunity: Opportunity, core_label: bool, note: str = ""
) -> Opportunity:
    """BD marks (or unmarks) a verified PO or accepted HO with the core label."""
    require(actor, REVIEW_OPPORTUNITIES)
    opp = _lock(opportunity)
    if opp.state not in ACTIVE_STATES:
        raise DomainError(
            _("Only verified POs and accepted HOs carry the core label."), code="state"
        )
    if opp.core_label == core_label:
        return opp
    opp.core_label = core_label
    opp.save(update_fields=["core_label"])
    record_event(
        actor=actor,
        subject=opp,
        verb=Verb.OPPORTUNITY_CORE_LABEL,
        reason=note,
        data={"core_label": core_label},
    )
    return opp
