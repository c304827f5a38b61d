"""The PCE application's lifecycle: applied → approved (member) | rejected (the partner may
apply again)."""

from django.utils.translation import gettext_lazy

from partner_center.workflow import By, Lifecycle, t

from .models import PCEApplication

S = PCEApplication.State

PCE = Lifecycle(
    key="pce",
    model=PCEApplication,
    transitions=[
        t(
            "apply",
            (),
            S.APPLIED,
            By.PARTNER,
            gettext_lazy("Application sent"),
            event="applied",
        ),
        t(
            "approve",
            {S.APPLIED},
            S.APPROVED,
            By.BD,
            gettext_lazy("Application approved"),
            event="approved",
        ),
        t(
            "reject",
            {S.APPLIED},
            S.REJECTED,
            By.BD,
            gettext_lazy("Application rejected"),
            event="rejected",
        ),
    ],
    initial=("apply",),
)
