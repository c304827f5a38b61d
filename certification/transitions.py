"""Every step of every certification, in one table.

A step names the states it may start from, the state it leads to (the same state for a step
that changes data but not the state, such as uploading into a slot) and who takes it. The
table is also the field lock: a partner can change slots or evidence only in the states
where the step that changes them is allowed. `apply` checks the table, saves the changed
fields and writes the event the timeline shows; callers lock the row first."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partner_center.audit.services import record_event
from partner_center.errors import DomainError

from .models import BankCardCertification, EnterpriseCertification, LabelApplication


class By:
    PARTNER = "partner"  # the partner's admin
    REVIEWER = "reviewer"  # a certification specialist (or an admin)
    ORGANIZER = "organizer"  # a reviewer, or the partner's PDM
    SYSTEM = "system"  # a periodic task


@dataclass(frozen=True)
class Step:
    name: str
    sources: frozenset[str]
    target: str
    by: str
    label: str  # lazy text shown on the timeline

    def changes_state(self, current: str) -> bool:
        return self.target != current


def step(name, sources, target, by, label) -> Step:
    return Step(name, frozenset(sources), target, by, label)


E = EnterpriseCertification.State
B = BankCardCertification.State
L = LabelApplication.State

FLOWS: dict[str, dict[str, Step]] = {
    "enterprise": {
        s.name: s
        for s in [
            step(
                "create", [E.DRAFT], E.DRAFT, By.PARTNER, gettext_lazy("Started the certification")
            ),
            step(
                "setup",
                [E.DRAFT],
                E.DRAFT,
                By.PARTNER,
                gettext_lazy("Changed the certificates and persons"),
            ),
            step("upload", [E.DRAFT], E.DRAFT, By.PARTNER, gettext_lazy("Uploaded an attachment")),
            step(
                "submit", [E.DRAFT], E.SUBMITTED, By.PARTNER, gettext_lazy("Submitted for review")
            ),
            step("approve", [E.SUBMITTED], E.APPROVED, By.REVIEWER, gettext_lazy("Approved")),
            step("reject", [E.SUBMITTED], E.REJECTED, By.REVIEWER, gettext_lazy("Rejected")),
            step("revise", [E.REJECTED], E.DRAFT, By.PARTNER, gettext_lazy("Reopened to revise")),
        ]
    },
    "bank_card": {
        s.name: s
        for s in [
            step("submit", [B.SUBMITTED], B.SUBMITTED, By.PARTNER, gettext_lazy("Submitted")),
            step("approve", [B.SUBMITTED], B.APPROVED, By.REVIEWER, gettext_lazy("Approved")),
            step("reject", [B.SUBMITTED], B.REJECTED, By.REVIEWER, gettext_lazy("Rejected")),
        ]
    },
    "label": {
        s.name: s
        for s in [
            step("create", [L.DRAFT], L.DRAFT, By.PARTNER, gettext_lazy("Started the application")),
            step("edit", [L.DRAFT], L.DRAFT, By.PARTNER, gettext_lazy("Changed the summary")),
            step("add_evidence", [L.DRAFT], L.DRAFT, By.PARTNER, gettext_lazy("Added evidence")),
            step(
                "remove_evidence", [L.DRAFT], L.DRAFT, By.PARTNER, gettext_lazy("Removed evidence")
            ),
            step(
                "submit", [L.DRAFT], L.SUBMITTED, By.PARTNER, gettext_lazy("Submitted for review")
            ),
            step(
                "withdraw",
                [L.DRAFT, L.SUBMITTED],
                L.WITHDRAWN,
                By.PARTNER,
                gettext_lazy("Withdrawn"),
            ),
            step(
                "decide_criterion",
                [L.SUBMITTED],
                L.SUBMITTED,
                By.REVIEWER,
                gettext_lazy("Decided a criterion"),
            ),
            step("grant", [L.SUBMITTED], L.GRANTED, By.REVIEWER, gettext_lazy("Label granted")),
            step(
                "fail_review",
                [L.SUBMITTED],
                L.REVIEW_FAILED,
                By.REVIEWER,
                gettext_lazy("Review not passed"),
            ),
            step(
                "accept_result",
                [L.REVIEW_FAILED],
                L.REFUSED,
                By.PARTNER,
                gettext_lazy("Accepted the review result"),
            ),
            step(
                "close_defense_window",
                [L.REVIEW_FAILED],
                L.REFUSED,
                By.SYSTEM,
                gettext_lazy("No defense requested in time"),
            ),
            step(
                "request_defense",
                [L.REVIEW_FAILED],
                L.DEFENSE_REQUESTED,
                By.PARTNER,
                gettext_lazy("Online defense requested"),
            ),
            step(
                "schedule_defense",
                [L.DEFENSE_REQUESTED],
                L.DEFENSE_SCHEDULED,
                By.ORGANIZER,
                gettext_lazy("Online defense scheduled"),
            ),
            step(
                "reschedule_defense",
                [L.DEFENSE_SCHEDULED],
                L.DEFENSE_SCHEDULED,
                By.ORGANIZER,
                gettext_lazy("Online defense rescheduled"),
            ),
            step(
                "defense_grant",
                [L.DEFENSE_SCHEDULED],
                L.GRANTED,
                By.REVIEWER,
                gettext_lazy("Defense outcome: label granted"),
            ),
            step(
                "defense_refuse",
                [L.DEFENSE_SCHEDULED],
                L.REFUSED,
                By.REVIEWER,
                gettext_lazy("Defense outcome: label refused"),
            ),
        ]
    },
}

FLOW_OF_MODEL = {
    EnterpriseCertification: "enterprise",
    BankCardCertification: "bank_card",
    LabelApplication: "label",
}
STATES_OF_FLOW = {
    "enterprise": EnterpriseCertification.State,
    "bank_card": BankCardCertification.State,
    "label": LabelApplication.State,
}


def get_step(flow: str, name: str) -> Step:
    return FLOWS[flow][name]


def allowed(obj, name: str) -> bool:
    """Whether step `name` may start from the object's current state."""
    return obj.state in get_step(FLOW_OF_MODEL[type(obj)], name).sources


def allowed_steps(obj) -> set[str]:
    return {s.name for s in FLOWS[FLOW_OF_MODEL[type(obj)]].values() if obj.state in s.sources}


def verb_label(verb: str) -> str:
    flow, _sep, name = verb.partition(".")
    found = FLOWS.get(flow, {}).get(name)
    return str(found.label) if found else verb


def state_label(flow: str, code: str) -> str:
    if not code:
        return ""
    try:
        return str(STATES_OF_FLOW[flow](code).label)
    except ValueError:
        return code


def check(obj, name: str) -> Step:
    """The step, or a DomainError saying why it cannot be taken now."""
    flow = FLOW_OF_MODEL[type(obj)]
    found = get_step(flow, name)
    if obj.state not in found.sources:
        raise DomainError(
            _("This is not possible while the state is “%(state)s”.")
            % {"state": state_label(flow, obj.state)},
            code="wrong_state",
        )
    return found


def apply(
    obj,
    name: str,
    *,
    actor,
    changes: dict | None = None,
    reason: str = "",
    data: dict | None = None,
    actor_label: str = "",
):
    """Take step `name` on a locked `obj`: check the table, save `changes` and the new
    state with `update_fields`, and record the event. Returns the event."""
    found = check(obj, name)
    from_state = obj.state
    fields = []
    for field, value in (changes or {}).items():
        setattr(obj, field, value)
        fields.append(field)
    moved = found.changes_state(from_state)
    if moved:
        obj.state = found.target
        fields.append("state")
    if fields:
        obj.save(update_fields=fields)
    return record_event(
        actor=actor,
        subject=obj,
        verb=f"{FLOW_OF_MODEL[type(obj)]}.{name}",
        from_state=from_state if moved else "",
        to_state=found.target if moved else "",
        reason=reason,
        data=data,
        actor_label=actor_label,
    )
