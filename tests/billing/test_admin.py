import pytest
from django.urls import reverse

from billing.models import Bill, Invoice
from billing.services import invoice_request
from tests.billing.factories import line, make_bill

pytestmark = pytest.mark.django_db


def test_admin_pages_load(partner, owner, admin_user, login):
    bill = make_bill(partner, lines=3, settled=True)
    invoice_request(actor=owner, bill=bill)
    client = login(admin_user)
    for model in ("bill", "billline", "exporttask", "invoice"):
        assert client.get(reverse(f"admin:billing_{model}_changelist")).status_code == 200, model
        assert (
            client.get(reverse(f"admin:billing_{model}_changelist"), {"q": "华云"}).status_code
            == 200
        )
    assert client.get(reverse("admin:billing_bill_change", args=[bill.pk])).status_code == 200
    assert (
        client.get(reverse("admin:billing_invoice_change", args=[bill.invoice.pk])).status_code
        == 200
    )


def test_admin_actions_go_through_the_services(partner, owner, admin_user, login):
    open_bill = make_bill(partner, "2026-05", lines=[line("10.00")])
    client = login(admin_user)
    client.post(
        reverse("admin:billing_bill_changelist"),
        {"action": "settle", "_selected_action": [open_bill.pk]},
    )
    open_bill.refresh_from_db()
    assert open_bill.state == Bill.State.SETTLED and open_bill.settled_at
    invoice = invoice_request(actor=owner, bill=open_bill)
    client.post(
        reverse("admin:billing_invoice_changelist"),
        {"action": "issue", "_selected_action": [invoice.pk]},
    )
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.ISSUED and invoice.issued_by == admin_user


def test_the_running_period_cannot_be_settled(partner, admin_user, login):
    from billing.periods import current_period

    bill = make_bill(partner, current_period(), lines=[line("1.00")])
    login(admin_user).post(
        reverse("admin:billing_bill_changelist"),
        {"action": "settle", "_selected_action": [bill.pk]},
    )
    bill.refresh_from_db()
    assert bill.state == Bill.State.OPEN
