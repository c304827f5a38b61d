"""BD's bulk review (issue [5]): pass review, return for changes or reject many POs at once.

Each PO goes through its own single-item service inside its own savepoint, so it gets its own
event and notification exactly as if BD had opened it; a PO the service refuses (another
state, the deadline passed, a rule) is reported with the service's message and the others go
on."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.errors import DomainError

from ..models import Opportunity
from ..permissions import REVIEW_OPPORTUNITIES
from .review import po_reject, po_return_for_changes, po_start_verification

MAX_BULK_IDS = 200
PASS, RETURN, REJECT = "pass_review", "return_for_changes", "reject"
ACTIONS = (PASS, RETURN, REJECT)


@dataclass(frozen=True)
class BulkResult:
    id: int
    ok: bool
    message: str = ""
    code: str = ""


def _clean_ids(ids) -> list[int]:
    try:
        cleaned = sorted({int(i) for i in ids or ()})
    except (TypeError, ValueError):
        raise DomainError(_("Choose the POs by their numbers."), field="ids") from None
    if not cleaned:
        raise DomainError(_("Choose at least one PO."), field="ids", code="empty")
    if len(cleaned) > MAX_BULK_IDS:
        raise DomainError(
            _("Choose at most %(max)s POs at a time.") % {"max": MAX_BULK_IDS},
            field="ids",
            code="too_many",
        )
    return cleaned


def _one(action: str, actor, po: Opportunity, params: dict) -> None:
    if action == PASS:
        po_start_verification(actor=actor, po=po, note=params.get("comment", ""))
    elif action == RETURN:
        po_return_for_changes(
            actor=actor, po=po, fields=params.get("fields"), comment=params.get("comment", "")
        )
    else:
        po_reject(
            actor=actor, po=po, reason=params.get("reason", ""), note=params.get("comment", "")
        )


def po_bulk_review(actor, ids, action: str, **params) -> list[BulkResult]:
    """One action on up to `MAX_BULK_IDS` POs; a result per id, in id order."""
    require(actor, REVIEW_OPPORTUNITIES)
    if action not in ACTIONS:
        raise DomainError(_("Choose what to do with the selected POs."), field="action")
    cleaned = _clean_ids(ids)
    found = Opportunity.objects.select_related("partner").filter(
        kind=Opportunity.Kind.PO, pk__in=cleaned
    )
    by_id = {po.pk: po for po in found}
    results = []
    for pk in cleaned:
        po = by_id.get(pk)
        if po is None:
            results.append(BulkResult(pk, False, _("No such PO."), "not_found"))
            continue
        try:
            with transaction.atomic():  # a savepoint: a refusal undoes this PO only
                _one(action, actor, po, params)
        except DomainError as exc:  # NotAllowed and Conflict are DomainErrors too
            results.append(BulkResult(pk, False, str(exc.message), exc.code or ""))
        else:
            results.append(BulkResult(pk, True))
    return results
