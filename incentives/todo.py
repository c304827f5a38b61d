"""To-do items of incentives: amounts to confirm and payments to request (partner: whoever may
settle, i.e. a partner admin or a member with the money grant); applications to review and
payments to mark paid (BD)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center.todo import items, take

from .models import IncentiveApplication
from .permissions import REVIEW_INCENTIVES, SETTLE_INCENTIVES

S = IncentiveApplication.State


def _title(a) -> str:
    return f"#{a.pk} · {a.opportunity.customer_name} · {a.partner.name}"


def _url(a) -> str:
    return reverse("incentives:application_detail", args=[a.pk])


def _applications(kind: str, label: str, rows, *, action: str, more_url: str) -> list:
    return items(kind, label, take(rows), title=_title, url=_url, action=action, more_url=more_url)


def todo(user) -> list:
    rows = IncentiveApplication.objects.select_related("partner", "opportunity").order_by("pk")
    if REVIEW_INCENTIVES.allows(user):
        review = reverse("incentives:review")
        return _applications(
            "incentive_to_review",
            _("Incentive application to review"),
            rows.filter(state=S.UNDER_REVIEW),
            action=_("Publish the amounts or reject"),
            more_url=review,
        ) + _applications(
            "incentive_to_pay",
            _("Incentive payment requested"),
            rows.filter(state=S.PAYMENT_REQUESTED),
            action=_("Mark paid"),
            more_url=f"{review}?state={S.PAYMENT_REQUESTED}",
        )
    if not SETTLE_INCENTIVES.allows(user):  # confirming and requesting payment move money
        return []
    mine = rows.filter(partner_id=user.partner_id)
    listing = reverse("incentives:applications") + "?tab=applied"
    return _applications(
        "incentive_to_confirm",
        _("Incentive amounts to confirm"),
        mine.filter(state=S.PUBLICITY),
        action=_("Confirm or dispute"),
        more_url=f"{listing}&state={S.PUBLICITY}",
    ) + _applications(
        "incentive_payment",
        _("Incentive ready for a payment request"),
        mine.filter(state=S.CONFIRMED),
        action=_("Request the payment"),
        more_url=f"{listing}&state={S.CONFIRMED}",
    )
