"""The PCE application's lifecycle: applied → approved (member) | rejected (the partner may
apply again)."""

from django.utils.translation import gettext_lazy, pgettext_lazy

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
            pgettext_lazy("PCE application step", "Applied to the PCE program"),
            event="applied",
        ),
        t(
            "approve",
            {S.APPLIED},
            S.APPROVED,
            By.BD,
            gettext_lazy("Approved: member of the PCE program"),
            event="approved",
        ),
        t("reject", {S.APPLIED}, S.REJECTED, By.BD, gettext_lazy("Rejected"), event="rejected"),
    ],
    initial=("apply",),
)
