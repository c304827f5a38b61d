"""Lifecycles of the customers app (the one mechanism in `partner_center.workflow`)."""

from django.utils.translation import gettext_lazy as _

from partner_center.workflow import By, Lifecycle, t

from .models import MoneyRequest

S = MoneyRequest.State

# A money operation above the partner's limit [our rule]: a second partner admin approves or
# refuses it; the requester may withdraw it. Every state but PENDING is final.
MONEY_REQUEST = Lifecycle(
    key="money_request",
    model=MoneyRequest,
    initial=("request",),
    transitions=[
        t("request", [S.PENDING], S.PENDING, By.PARTNER, _("Asked for a second admin's approval")),
        t("approve", [S.PENDING], S.APPROVED, By.PARTNER, _("Approved; the money moved")),
        t("refuse", [S.PENDING], S.REFUSED, By.PARTNER, _("Refused")),
        t("cancel", [S.PENDING], S.CANCELLED, By.PARTNER, _("Withdrawn by the requester")),
    ],
)
