"""Billing services refuse whoever lacks the capability, whatever door called them."""

import pytest

from billing import services
from billing.models import Invoice
from partner_center.accounts.permissions import Role
from partner_center.errors import NotAllowed
from tests.factories import partner_user

from .factories import make_bill

pytestmark = pytest.mark.django_db


def test_billing_services_refuse_outsiders_and_members_without_grant(
    partner, owner, outsider, bd, admin_user
):
    bill = make_bill(partner, "2026-04", lines=3, settled=True)
    member = partner_user(partner, Role.PARTNER_MEMBER, can_move_money=False)
    for actor in (outsider, member, bd, None):
        with pytest.raises(NotAllowed):
            services.invoice_request(actor=actor, bill=bill)
    for actor in (outsider, bd, None):
        with pytest.raises(NotAllowed):
            services.export_request(actor=actor, bill=bill)
        with pytest.raises(NotAllowed):
            services.bill_refresh_request(actor=actor, partner=partner, period="2026-04")
    open_bill = make_bill(partner, "2026-05", lines=3)
    for actor in (owner, outsider, bd):
        with pytest.raises(NotAllowed):
            services.bill_settle(actor=actor, bill=open_bill)
    invoice = services.invoice_request(actor=owner, bill=bill)
    for actor in (owner, outsider, bd):
        with pytest.raises(NotAllowed):
            services.invoice_issue(actor=actor, invoice=invoice)
    services.invoice_issue(actor=admin_user, invoice=invoice)
    assert Invoice.objects.get(pk=invoice.pk).state == Invoice.State.ISSUED
