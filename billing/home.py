"""Landing-page cards of billed partners: the running period's bill so far, and settled bills
whose invoice has not been requested yet (one aggregate query)."""

from django.db.models import Count, Min, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center.home import HomeCard
from partner_center.money import cny

from .models import Bill
from .periods import current_period
from .permissions import REQUEST_INVOICE, VIEW_BILLS

UNINVOICED = Q(state=Bill.State.SETTLED, invoice__isnull=True, amount_due__gt=0)


def cards(user) -> list[HomeCard]:
    if not VIEW_BILLS.allows(user):
        return []
    period = current_period()
    figures = Bill.objects.filter(partner_id=user.partner_id).aggregate(
        due=Sum("amount_due", filter=Q(period=period)),
        lines=Sum("line_count", filter=Q(period=period)),
        to_invoice=Count("id", filter=UNINVOICED),
        oldest_to_invoice=Min("period", filter=UNINVOICED),
    )
    found = [
        HomeCard(
            _("Bill %(period)s so far") % {"period": period},
            cny(figures["due"] or 0),
            reverse("billing:bill_overview", args=[period]),
            hint=_("%(n)s lines; settled after the month ends") % {"n": figures["lines"] or 0},
            tone="secondary",
        )
    ]
    if REQUEST_INVOICE.allows(user):
        waiting = figures["to_invoice"]
        found.append(
            HomeCard(
                _("Settled bills without an invoice"),
                str(waiting),
                reverse("billing:bill_overview", args=[figures["oldest_to_invoice"]])
                if waiting
                else reverse("billing:invoices"),
                hint=_("Request each invoice on its bill's page, oldest first.")
                if waiting
                else _("Every settled bill has its invoice requested."),
                tone="warning" if waiting else "secondary",
            )
        )
    return found
