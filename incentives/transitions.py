"""Every step of a PCE incentive application, in one table.

    apply ─▶ under review ─▶ publish ─▶ publicity, pending confirmation ─▶ confirm ─▶
    confirmed ─▶ request payment ─▶ payment requested ─▶ mark paid ─▶ completed
                 │                         │
                 └─ reject ─▶ rejected      └─ dispute (with a reason) ─▶ under review

A step names the states it may start from, the state it leads to and who takes it. `apply`
checks the table, saves the changed fields with `update_fields` and writes the event the
timeline shows; callers lock the row first."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from partner_center.audit.services import record_event
from partner_center.errors import DomainError

from .models import IncentiveApplication


class By:
    PARTNER = "partner"  # a user of the applying partner
    BD = "bd"  # vendor BD staff (or an admin)


@dataclass(frozen=True)
class Step:
    name: str
    sources: frozenset[str]
    target: str
    by: str
    label: str  # lazy text shown on the timeline


S = IncentiveApplication.State

STEPS: dict[str, Step] = {
    s.name: s
    for s in [
        Step(
            "apply",
            frozenset(),
            S.UNDER_REVIEW,
            By.PARTNER,
            pgettext_lazy("incentive step", "Applied"),
        ),
        Step(
            "publish",
            frozenset({S.UNDER_REVIEW}),
            S.PUBLICITY,
            By.BD,
            gettext_lazy("Amounts published for confirmation"),
        ),
        Step("reject", frozenset({S.UNDER_REVIEW}), S.REJECTED, By.BD, gettext_lazy("Rejected")),
        Step(
            "dispute",
            frozenset({S.PUBLICITY}),
            S.UNDER_REVIEW,
            By.PARTNER,
            gettext_lazy("Disputed; back to BD"),
        ),
        Step(
            "confirm",
            frozenset({S.PUBLICITY}),
            S.CONFIRMED,
            By.PARTNER,
            gettext_lazy("Amounts confirmed"),
        ),
        Step(
            "request_payment",
            frozenset({S.CONFIRMED}),
            S.PAYMENT_REQUESTED,
            By.PARTNER,
            gettext_lazy("Payment requested"),
        ),
        Step(
            "mark_paid",
            frozenset({S.PAYMENT_REQUESTED}),
            S.COMPLETED,
            By.BD,
            gettext_lazy("Paid; completed"),
        ),
    ]
}
VERB_PREFIX = "incentive"
OPEN_STATES = frozenset({S.UNDER_REVIEW, S.PUBLICITY, S.CONFIRMED, S.PAYMENT_REQUESTED})
STATE_LABELS = dict(S.choices)


def state_label(code: str) -> str:
    return str(STATE_LABELS.get(code, code)) if code else ""


def verb_label(verb: str) -> str:
    _prefix, _sep, name = verb.partition(".")
    found = STEPS.get(name)
    return str(found.label) if found else verb


def allowed_steps(application: IncentiveApplication, by: str | None = None) -> set[str]:
    return {
        s.name
        for s in STEPS.values()
        if application.state in s.sources and (by is None or s.by == by)
    }


def check(application: IncentiveApplication, name: str) -> Step:
    """The step, or a DomainError saying why it cannot be taken now."""
    found = STEPS[name]
    if application.state not in found.sources:
        raise DomainError(
            _("This is not possible while the application is “%(state)s”.")
            % {"state": state_label(application.state)},
            code="wrong_state",
        )
    return found


def take(
    application: IncentiveApplication,
    name: str,
    *,
    actor,
    changes: dict | None = None,
    reason: str = "",
    data: dict | None = None,
):
    """Take step `name` on a locked application: check the table, save `changes` and the
    new state with `update_fields`, and record the event. Returns the event."""
    found = check(application, name)
    from_state = application.state
    fields = []
    for field, value in (changes or {}).items():
        setattr(application, field, value)
        fields.append(field)
    application.state = found.target
    fields.append("state")
    application.save(update_fields=fields)
    return record_event(
        actor=actor,
        subject=application,
        verb=f"{VERB_PREFIX}.{name}",
        from_state=from_state,
        to_state=found.target,
        reason=reason,
        data=data,
    )


def record_created(application: IncentiveApplication, *, actor, reason: str = ""):
    """The `apply` step: the application was just created in its first state."""
    step = STEPS["apply"]
    return record_event(
        actor=actor,
        subject=application,
        verb=f"{VERB_PREFIX}.apply",
        to_state=step.target,
        reason=reason,
        data={"opportunity": application.opportunity_id, "offering": application.offering},
    )
