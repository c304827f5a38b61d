"""Every step of a PCE incentive application, in one table.

    apply ─▶ under review ─▶ publish ─▶ publicity, pending confirmation ─▶ confirm ─▶
    confirmed ─▶ request payment ─▶ payment requested ─▶ mark paid ─▶ completed
                 │                         │
                 └─ reject ─▶ rejected      └─ dispute (with a reason) ─▶ under review

A step names the states it may start from, the state it leads to and who takes it; the
table is a `partner_center.workflow.Lifecycle`, whose `apply` checks it, saves the changed
fields with `update_fields` and writes the event the timeline shows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, pgettext_lazy

from partner_center.workflow import By, Lifecycle, t

from .models import IncentiveApplication

S = IncentiveApplication.State

INCENTIVE = Lifecycle(
    key="incentive",
    model=IncentiveApplication,
    transitions=[
        t(
            "apply",
            (),
            S.UNDER_REVIEW,
            By.PARTNER,
            pgettext_lazy("incentive step", "Applied"),
        ),
        t(
            "publish",
            {S.UNDER_REVIEW},
            S.PUBLICITY,
            By.BD,
            gettext_lazy("Amounts published for confirmation"),
        ),
        t("reject", {S.UNDER_REVIEW}, S.REJECTED, By.BD, gettext_lazy("Rejected")),
        t(
            "dispute",
            {S.PUBLICITY},
            S.UNDER_REVIEW,
            By.PARTNER,
            gettext_lazy("Disputed; back to BD"),
        ),
        t(
            "confirm",
            {S.PUBLICITY},
            S.CONFIRMED,
            By.PARTNER,
            gettext_lazy("Amounts confirmed"),
        ),
        t(
            "request_payment",
            {S.CONFIRMED},
            S.PAYMENT_REQUESTED,
            By.PARTNER,
            gettext_lazy("Payment requested"),
        ),
        t(
            "mark_paid",
            {S.PAYMENT_REQUESTED},
            S.COMPLETED,
            By.BD,
            gettext_lazy("Paid; completed"),
        ),
    ],
    initial=("apply",),
)
OPEN_STATES = frozenset({S.UNDER_REVIEW, S.PUBLICITY, S.CONFIRMED, S.PAYMENT_REQUESTED})
