"""The deal page's status stepper (issue [8]): where a PO or HO stands on its way, with the
deadline on the step that waits. Read from the state only; the steps' names are the
lifecycle's (transitions.py) in the reader's words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Opportunity

S = Opportunity.State

PO_STEPS = [
    (S.DRAFT, _("Draft")),
    (S.SUBMITTED, _("Review")),
    (S.UNDER_VERIFICATION, _("Verification")),
    (S.VERIFIED, _("Verification passed")),
]
HO_STEPS = [
    (S.PENDING, _("Shared with you")),
    (S.ACCEPTED, _("Accepted")),
]
# A state that is not a step: the step it belongs to, and how that step reads.
OFF_PATH = {
    S.RETURNED: (S.SUBMITTED, "returned", _("Returned for changes")),
    S.REJECTED: (S.VERIFIED, "failed", _("Rejected")),
    S.DECLINED: (S.ACCEPTED, "failed", _("Declined")),
    S.EXPIRED: (S.ACCEPTED, "failed", _("Declined automatically")),
}


@dataclass(frozen=True)
class Step:
    label: str
    status: str  # done, current, returned, failed, todo
    deadline: object = None  # the clock of the step that waits


def steps(opp: Opportunity) -> list[Step]:
    path = PO_STEPS if opp.is_po else HO_STEPS
    codes = [code for code, _label in path]
    state, status, label = opp.state, "current", None
    if state in OFF_PATH:
        state, status, label = OFF_PATH[state]
    here = codes.index(state) if state in codes else 0
    last = len(codes) - 1
    found = []
    for i, (_code, text) in enumerate(path):
        if i < here:
            found.append(Step(str(text), "done"))
        elif i == here:
            final = i == last and status == "current"
            found.append(
                Step(
                    str(label or text),
                    "done" if final else status,
                    opp.deadline if opp.clock_running and not final else None,
                )
            )
        else:
            found.append(Step(str(text), "todo"))
    return found
