"""Landing-page cards: incentives that wait for the partner, or for BD (one query each)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center.home import HomeCard

from .models import IncentiveApplication
from .permissions import APPLY_INCENTIVES, REVIEW_INCENTIVES

S = IncentiveApplication.State


def cards(user) -> list[HomeCard]:
    if REVIEW_INCENTIVES.allows(user):
        counts = IncentiveApplication.objects.aggregate(
            review=Count("pk", filter=Q(state=S.UNDER_REVIEW)),
            pay=Count("pk", filter=Q(state=S.PAYMENT_REQUESTED)),
        )
        url = reverse("incentives:review")
        found = []
        if counts["review"]:
            found.append(
                HomeCard(
                    _("Incentive applications to review"),
                    str(counts["review"]),
                    url,
                    _("Publish the amounts or reject."),
                    "warning",
                )
            )
        if counts["pay"]:
            found.append(
                HomeCard(
                    _("Incentive payments requested"),
                    str(counts["pay"]),
                    f"{url}?state={S.PAYMENT_REQUESTED}",
                    _("Mark them paid once the money is out."),
                    "info",
                )
            )
        return found
    if not APPLY_INCENTIVES.allows(user):
        return []
    counts = IncentiveApplication.objects.filter(partner_id=user.partner_id).aggregate(
        check=Count("pk", filter=Q(state=S.PUBLICITY)),
        request=Count("pk", filter=Q(state=S.CONFIRMED)),
    )
    url = reverse("incentives:applications") + "?tab=applied"
    found = []
    if counts["check"]:
        found.append(
            HomeCard(
                _("Incentives to check and confirm"),
                str(counts["check"]),
                f"{url}&state={S.PUBLICITY}",
                _("BD published the amounts; confirm them or dispute them."),
                "warning",
            )
        )
    if counts["request"]:
        found.append(
            HomeCard(
                _("Incentives ready for a payment request"),
                str(counts["request"]),
                f"{url}&state={S.CONFIRMED}",
                _("Enter your invoice number to request the payment."),
                "info",
            )
        )
    return found
