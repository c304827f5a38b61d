"""To-do items of billing: settled bills whose invoice has not been requested."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center.todo import items, take

from .home import UNINVOICED
from .models import Bill
from .permissions import REQUEST_INVOICE


def todo(user) -> list:
    if not REQUEST_INVOICE.allows(user):
        return []
    return items(
        "invoice_to_request",
        _("Settled bill without an invoice"),
        take(
            Bill.objects.filter(UNINVOICED, partner_id=user.partner_id)
            .only("pk", "period", "partner_id")
            .order_by("period")
        ),
        title=lambda b: _("Bill %(period)s") % {"period": b.period},
        url=lambda b: reverse("billing:bill_overview", args=[b.period]),
        action=_("Request the invoice"),
        more_url=reverse("billing:invoices"),
    )
