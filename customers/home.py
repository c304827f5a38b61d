"""Landing-page cards for partners that sell: customers and resources about to expire."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center.accounts.permissions import PARTNER_ROLES
from partner_center.home import HomeCard

from .models import Association, Resource
from .permissions import VIEW_CUSTOMERS
from .selectors import EXPIRING_SOON_DAYS, expiring_soon


def cards(user) -> list[HomeCard]:
    if user.role not in PARTNER_ROLES or not VIEW_CUSTOMERS.allows(user):
        return []
    customers = Association.objects.filter(
        partner_id=user.partner_id, state=Association.State.ACTIVE
    ).count()
    expiring = expiring_soon(Resource.objects.filter(partner_id=user.partner_id)).aggregate(
        n=Count("id"), auto=Count("id", filter=Q(auto_renew=True))
    )
    return [
        HomeCard(_("Associated customers"), str(customers), reverse("customers:list")),
        HomeCard(
            _("Resources expiring within %(days)s days") % {"days": EXPIRING_SOON_DAYS},
            str(expiring["n"]),
            reverse("customers:resources") + "?expiring=true",
            hint=_("%(n)s renew automatically") % {"n": expiring["auto"]},
            tone="warning" if expiring["n"] > expiring["auto"] else "secondary",
        ),
    ]
