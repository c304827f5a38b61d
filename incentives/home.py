"""Landing-page cards: incentives that wait for the partner, or for BD (one query each)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center.home import HomeCard

from .models import IncentiveApplication
from .permissions import APPLY_INCENTIVES, REVIEW_INCENTIVES

S = IncentiveApplication.State


def _nonzero(*rows) -> list[HomeCard]:
    """A card for each (count, title, url, hint, tone) whose count is not zero."""
    return [HomeCard(title, str(n), url, hint, tone) for n, title, url, hint, tone in rows if n]


def cards(user) -> list[HomeCard]:
    if REVIEW_INCENTIVES.allows(user):
        counts = IncentiveApplication.objects.aggregate(
            review=Count("pk", filter=Q(state=S.UNDER_REVIEW)),
            pay=Count("pk", filter=Q(state=S.PAYMENT_REQUESTED)),
        )
        url = reverse("incentives:review")
        return _nonzero(
            (
                counts["review"],
                _("Incentive applications to review"),
                url,
                _("Publish the amounts or reject."),
                "warning",
            ),
            (
                counts["pay"],
                _("Incentive payments requested"),
                f"{url}?state={S.PAYMENT_REQUESTED}",
                _("Mark them paid once the money is out."),
                "info",
            ),
        )
    if not APPLY_INCENTIVES.allows(user):
        return []
    counts = IncentiveApplication.objects.filter(partner_id=user.partner_id).aggregate(
        check=Count("pk", filter=Q(state=S.PUBLICITY)),
        request=Count("pk", filter=Q(state=S.CONFIRMED)),
    )
    url = reverse("incentives:applications") + "?tab=applied"
    return _nonzero(
        (
            counts["check"],
            _("Incentives to check and confirm"),
            f"{url}&state={S.PUBLICITY}",
            _("BD published the amounts; confirm them or dispute them."),
            "warning",
        ),
        (
            counts["request"],
            _("Incentives ready for a payment request"),
            f"{url}&state={S.CONFIRMED}",
            _("Enter your invoice number to request the payment."),
            "info",
        ),
    )
