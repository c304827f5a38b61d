"""Landing-page cards: what waits for the user's action, with one aggregate query."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.home import HomeCard

from .models import Opportunity
from .permissions import REVIEW_OPPORTUNITIES, WORK_OPPORTUNITIES

S = Opportunity.State
K = Opportunity.Kind
PO_OPEN = (S.SUBMITTED, S.UNDER_VERIFICATION, S.RETURNED)


def cards(user) -> list[HomeCard]:
    soon = timezone.now() + timedelta(days=2)
    if WORK_OPPORTUNITIES.allows(user):
        counts = Opportunity.objects.filter(partner_id=user.partner_id).aggregate(
            ho_pending=Count("id", filter=Q(kind=K.HO, state=S.PENDING)),
            ho_due=Count("id", filter=Q(kind=K.HO, state=S.PENDING, deadline__lte=soon)),
            returned=Count("id", filter=Q(kind=K.PO, state=S.RETURNED)),
            po_open=Count("id", filter=Q(kind=K.PO, state__in=PO_OPEN)),
        )
        listing = reverse("opportunities:list")
        return [
            HomeCard(
                _("HOs waiting for your answer"),
                str(counts["ho_pending"]),
                reverse("opportunities:ho_inbox"),
                hint=_("%(n)s due within two days") % {"n": counts["ho_due"]},
                tone="danger" if counts["ho_due"] else "info",
            ),
            HomeCard(
                _("POs returned for changes"),
                str(counts["returned"]),
                f"{listing}?state={S.RETURNED}",
                tone="warning" if counts["returned"] else "secondary",
            ),
            # (the bare list opens on "Action needed": this count is of every open PO)
            HomeCard(_("POs in review"), str(counts["po_open"]), f"{listing}?view=all"),
        ]
    if REVIEW_OPPORTUNITIES.allows(user):
        counts = Opportunity.objects.filter(kind=K.PO, state__in=PO_OPEN).aggregate(
            open=Count("id"), due=Count("id", filter=Q(deadline__lte=soon))
        )
        return [
            HomeCard(
                _("POs to review"),
                str(counts["open"]),
                reverse("opportunities:review_queue") + "?view=all",  # with the returned POs
                hint=_("%(n)s due within two days") % {"n": counts["due"]},
                tone="danger" if counts["due"] else "info",
            )
        ]
    return []
