from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import BillLine, Invoice
from billing.services import invoice_issue, invoice_request
from partner_center.audit.models import Event
from partner_center.errors import DomainError
from tests.billing.factories import line, make_bill
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

ECS = ("ecs", "弹性云服务器 ECS")
OBS = ("obs", "对象存储服务 OBS")
CDN = ("cdn", "内容分发网络 CDN")


def settled_bill(partner):
    return make_bill(
        partner,
        lines=[
            line("1000.00", product=ECS),
            line("333.33", line_type=BillLine.Type.RENEWAL, product=ECS, voucher="33.33"),
            line("-100.00", line_type=BillLine.Type.DOWNGRADE, product=ECS),
            line("0.53", product=OBS),
            line("2.65", product=CDN),
        ],
        settled=True,
    )


def test_invoice_lines_split_tax_per_product_and_totals_are_their_sums(partner, owner):
    bill = settled_bill(partner)
    invoice = invoice_request(actor=owner, bill=bill)
    lines = list(invoice.lines.order_by("position"))
    assert [(x.product_code, x.total_amount, x.net_amount, x.tax_amount) for x in lines] == [
        ("cdn", Decimal("2.65"), Decimal("2.50"), Decimal("0.15")),
        ("ecs", Decimal("1200.00"), Decimal("1132.08"), Decimal("67.92")),
        ("obs", Decimal("0.53"), Decimal("0.50"), Decimal("0.03")),
    ]
    assert invoice.total_amount == sum(x.total_amount for x in lines) == bill.amount_due
    assert invoice.net_amount == sum(x.net_amount for x in lines)
    assert invoice.tax_amount == sum(x.tax_amount for x in lines) == bill.tax_amount
    assert invoice.tax_rate == Decimal("0.060")
    assert invoice.buyer_name == partner.name and invoice.buyer_tax_id == partner.credit_code
    assert Event.objects.filter(verb="invoice.requested", subject_id=invoice.pk).exists()


def test_only_settled_periods_are_invoiced(partner, owner):
    bill = make_bill(partner, lines=[line("10.00")])
    with pytest.raises(DomainError, match="settled|已结算"):
        invoice_request(actor=owner, bill=bill)


def test_one_invoice_per_bill(partner, owner):
    bill = settled_bill(partner)
    invoice_request(actor=owner, bill=bill)
    with pytest.raises(DomainError):
        invoice_request(actor=owner, bill=bill)
    assert Invoice.objects.count() == 1


def test_nothing_to_invoice_when_nothing_is_due(partner, owner):
    bill = make_bill(
        partner,
        lines=[line("10.00", voucher="10.00")],
        settled=True,
    )
    with pytest.raises(DomainError, match="Nothing to invoice|无可开票"):
        invoice_request(actor=owner, bill=bill)


def test_request_from_the_page_then_vendor_issues_it(partner, owner, admin_user, login):
    settled_bill(partner)
    client = login(owner)
    response = client.post(reverse("billing:bill_request_invoice", args=["2026-05"]))
    invoice = Invoice.objects.get()
    assert response["Location"] == reverse("billing:invoice", args=[invoice.pk])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'data-testid="invoice-total">¥1,203.18' in html
    invoice_issue(actor=admin_user, invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.ISSUED
    with pytest.raises(DomainError):
        invoice_issue(actor=admin_user, invoice=invoice)
    assert "开具发票" in client.get(response["Location"]).content.decode()


def test_a_refused_request_says_why_on_the_bill_page(partner, owner, login):
    make_bill(partner, lines=[line("10.00")])
    client = login(owner)
    response = client.post(reverse("billing:bill_request_invoice", args=["2026-05"]), follow=True)
    assert "只能为已结算的账期开具发票" in response.content.decode()
    assert not Invoice.objects.exists()


def test_outsider_gets_404_for_an_invoice(partner, owner, outsider, login):
    invoice = invoice_request(actor=owner, bill=settled_bill(partner))
    assert login(outsider).get(reverse("billing:invoice", args=[invoice.pk])).status_code == 404
    assert invoice.number not in login(outsider).get(reverse("billing:invoices")).content.decode()


@pytest.mark.parametrize("count", [1, 50])
def test_invoice_list_query_count_is_fixed(partner, owner, login, count):
    for month in range(count):
        year, mon = divmod(month, 12)
        bill = make_bill(
            partner, f"{2020 + year}-{mon + 1:02d}", lines=[line("10.00")], settled=True
        )
        invoice_request(actor=owner, bill=bill)
    client = login(owner)
    client.get(reverse("billing:invoices"))
    assert count_queries(client.get, reverse("billing:invoices")) == 5
