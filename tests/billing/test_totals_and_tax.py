from decimal import Decimal

import pytest

from billing.models import Bill, BillLine
from billing.services import bill_store_lines, invoice_lines_for
from billing.tax import split_gross, to_fen
from partner_center.errors import DomainError
from tests.billing.factories import line, make_bill

pytestmark = pytest.mark.django_db

ECS = ("ecs", "弹性云服务器 ECS")
OBS = ("obs", "对象存储服务 OBS")


@pytest.mark.parametrize(
    ("gross", "net", "tax"),
    [
        ("106.00", "100.00", "6.00"),
        ("1.00", "0.94", "0.06"),  # 0.9433... -> 0.94
        ("0.53", "0.50", "0.03"),  # 0.5 exactly
        ("10.60", "10.00", "0.60"),
        ("0.01", "0.01", "0.00"),  # 0.00943 -> 0.01
        ("2.65", "2.50", "0.15"),
        ("1.59", "1.50", "0.09"),
        ("-53.00", "-50.00", "-3.00"),  # a refund-only product line
    ],
)
def test_split_gross_rounds_half_up_to_the_fen(gross, net, tax):
    n, t = split_gross(Decimal(gross))
    assert (n, t) == (Decimal(net), Decimal(tax))
    assert n + t == Decimal(gross)


def test_half_up_not_bankers_rounding():
    # Banker's rounding (half to even) would give 0.12 and 2.34.
    assert to_fen(Decimal("0.125")) == Decimal("0.13")
    assert to_fen(Decimal("2.345")) == Decimal("2.35")


def test_bill_totals_from_its_lines(partner):
    bill = make_bill(
        partner,
        lines=[
            line("100.00", product=ECS),
            line("250.50", line_type=BillLine.Type.NEW, product=ECS, voucher="50.00"),
            line("-30.25", line_type=BillLine.Type.UNSUBSCRIBE, product=ECS),
            line("19.99", product=OBS),
            line("-5.00", line_type=BillLine.Type.DOWNGRADE, product=OBS),
        ],
    )
    assert bill.line_count == 5
    assert bill.consumption_amount == Decimal("370.49")
    assert bill.refund_amount == Decimal("35.25")
    assert bill.voucher_amount == Decimal("50.00")
    assert bill.amount_due == Decimal("285.24")
    # VAT per product, each rounded half-up, summed: ECS 270.25 -> 15.30; OBS 14.99 -> 0.85
    assert bill.tax_amount == Decimal("15.30") + Decimal("0.85")
    lines = invoice_lines_for(bill)
    assert [(x.product_code, x.total) for x in lines] == [
        ("ecs", Decimal("270.25")),
        ("obs", Decimal("14.99")),
    ]
    assert sum(x.total for x in lines) == bill.amount_due
    assert sum(x.tax for x in lines) == bill.tax_amount


def test_tax_of_the_sum_may_differ_from_the_sum_of_the_lines_and_lines_win(partner):
    # Three products of 1.00: 0.06 tax each, 0.18 in all; the tax of the 3.00 total would be
    # 0.17. The bill shows the sum of the lines, as the invoice does.
    bill = make_bill(
        partner,
        lines=[line("1.00", product=(code, code.upper())) for code in ("a", "b", "c")],
    )
    assert bill.tax_amount == Decimal("0.18")
    assert split_gross(Decimal("3.00"))[1] == Decimal("0.17")


def test_regenerating_an_open_bill_replaces_its_lines(partner):
    bill = make_bill(partner, lines=[line("10.00"), line("20.00")])
    again = bill_store_lines(partner=partner, period=bill.period, lines=[line("5.00")])
    assert again.pk == bill.pk
    assert again.line_count == 1 == BillLine.objects.filter(bill=bill).count()
    assert again.amount_due == Decimal("5.00")


def test_a_settled_bill_never_changes(partner):
    bill = make_bill(partner, lines=[line("10.00")], settled=True)
    with pytest.raises(DomainError):
        bill_store_lines(partner=partner, period=bill.period, lines=[line("99.00")])
    bill.refresh_from_db()
    assert bill.amount_due == Decimal("10.00")


def test_database_refuses_a_bill_whose_due_does_not_add_up(partner):
    from django.db import IntegrityError, transaction

    bill = make_bill(partner, lines=[line("10.00")])
    with pytest.raises(IntegrityError), transaction.atomic():
        Bill.objects.filter(pk=bill.pk).update(amount_due=Decimal("10.01"))


def test_database_refuses_a_refund_with_a_positive_amount(partner):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_bill(partner, lines=[line("10.00", line_type=BillLine.Type.UNSUBSCRIBE)])


def test_synthetic_bill_totals_match_a_sum_over_the_lines(partner):
    bill = make_bill(partner, lines=300)
    rows = list(
        BillLine.objects.filter(bill=bill).values_list("line_type", "amount", "voucher_amount")
    )
    consumption = sum(a for t, a, v in rows if t not in BillLine.REFUND_TYPES)
    refunds = -sum(a for t, a, v in rows if t in BillLine.REFUND_TYPES)
    vouchers = sum(v for t, a, v in rows)
    assert (bill.consumption_amount, bill.refund_amount, bill.voucher_amount) == (
        consumption,
        refunds,
        vouchers,
    )
    assert bill.amount_due == consumption - refunds - vouchers
