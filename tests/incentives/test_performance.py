"""Performance: orders credited once, the summary reconciles with its details, filters and
streamed exports, and who sees what."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from customers.models import Order
from incentives.models import PerformanceRecord
from incentives.services import performance_sync
from partner_center.accounts.permissions import PartnerType, Role
from tests.factories import PartnerFactory, partner_user
from tests.incentives.conftest import make_customer, make_order, shanghai

pytestmark = pytest.mark.django_db


def test_an_order_is_credited_once_voucher_and_refund_rules(partner):
    customer = make_customer()
    new = make_order(partner, customer, amount="1000.00", voucher_amount="200.00")
    refund = make_order(partner, customer, amount="300.00", order_type=Order.Type.UNSUBSCRIBE)
    make_order(None, customer, amount="999.00")  # no partner: nobody's performance
    records = {r.order_id: r for r in PerformanceRecord.objects.all()}
    assert set(records) == {new.pk, refund.pk}
    assert records[new.pk].amount == Decimal("800.00")
    assert records[new.pk].voucher_amount == Decimal("200.00")
    assert records[refund.pk].amount == Decimal("-300.00")
    assert records[refund.pk].order_amount == Decimal("-300.00")
    assert isinstance(records[new.pk].amount, Decimal)
    assert performance_sync() == 0  # nothing missing, nothing twice
    assert PerformanceRecord.objects.count() == 2


def test_sync_credits_orders_that_arrived_in_bulk(partner):
    customer = make_customer()
    orders = [make_order(partner, customer, amount="10.00") for _ in range(5)]
    PerformanceRecord.objects.filter(order__in=orders[:3]).delete()
    assert performance_sync(batch_size=2) == 3
    assert performance_sync() == 0
    assert PerformanceRecord.objects.filter(partner=partner).count() == 5


def test_records_carry_the_distributor_of_the_moment(reseller, distributor):
    make_order(reseller, amount="50.00")
    record = PerformanceRecord.objects.get()
    assert record.distributor_id == distributor.pk
    assert record.partner_id == reseller.pk


def _rows_total(client, url) -> Decimal:
    """Sum of the performance of every detail row behind a link (following pages)."""
    total = Decimal("0")
    page = 1
    while True:
        response = client.get(url + f"&page={page}")
        assert response.status_code == 200
        for record in response.context["page_obj"]:
            total += record.amount
        if not response.context["page_obj"].has_next():
            return total
        page += 1


def test_summary_totals_link_to_the_rows_that_make_them_up(login, owner, partner):
    a, b = make_customer(name="甲公司"), make_customer(name="乙公司")
    march = shanghai(2026, 3, 10, 9)
    make_order(partner, a, amount="1000.00", formed_at=march)
    make_order(partner, a, amount="250.00", formed_at=march, order_type=Order.Type.RENEWAL)
    make_order(partner, b, amount="400.00", formed_at=march, product_code="rds")
    make_order(
        partner,
        b,
        amount="120.00",
        formed_at=march,
        order_type=Order.Type.DOWNGRADE,
        product_code="rds",
    )
    make_order(partner, b, amount="77.00", formed_at=shanghai(2026, 4, 1, 0, 5))  # April
    client = login(owner)
    response = client.get(reverse("incentives:performance") + "?period=2026-03")
    summary = response.context["summary"]
    assert summary.total == Decimal("1530.00")
    assert summary.gross == Decimal("1650.00")
    assert summary.refunds == Decimal("-120.00")
    assert summary.order_count == 4 and summary.customer_count == 2
    assert _rows_total(client, response.context["details_link"]) == summary.total
    for group in (summary.by_type, summary.by_product, summary.by_customer):
        assert sum(row.total for row in group) == summary.total
        for row in group:
            assert _rows_total(client, row.link) == row.total, row.label
    html = response.content.decode()
    assert response.context["details_link"].replace("&", "&amp;") in html


def test_the_month_is_the_shanghai_calendar_month(login, owner, partner):
    # 2026-03-31 16:30 UTC is already 2026-04-01 00:30 in Shanghai
    make_order(partner, amount="10.00", formed_at=shanghai(2026, 4, 1, 0, 30))
    assert PerformanceRecord.objects.get().billing_period == "2026-04"


def test_details_filter_by_time_type_customer_and_product(login, owner, partner):
    a, b = make_customer(name="甲公司"), make_customer(name="乙公司", account_name="yi-001")
    make_order(partner, a, amount="1.00", formed_at=shanghai(2026, 3, 2, 9))
    make_order(
        partner, a, amount="2.00", formed_at=shanghai(2026, 3, 20, 9), order_type=Order.Type.RENEWAL
    )
    make_order(partner, b, amount="4.00", formed_at=shanghai(2026, 3, 21, 9), product_code="obs")
    client = login(owner)
    base = reverse("incentives:performance_details") + "?period=2026-03"

    def total(query):
        return client.get(base + query).context["totals"]["total"]

    assert total("") == Decimal("7.00")
    assert total("&formed_from=2026-03-10") == Decimal("6.00")
    assert total("&formed_until=2026-03-20") == Decimal("3.00")
    assert total("&order_type=renewal") == Decimal("2.00")
    assert total("&q=yi-001") == Decimal("4.00")
    assert total(f"&customer={a.pk}") == Decimal("3.00")
    obs = PerformanceRecord.objects.get(product__code="obs").product_id
    assert total(f"&product={obs}") == Decimal("4.00")
    assert total("&period=2026-02") == Decimal("0")
    sorted_rows = client.get(base + "&sort=-amount").context["page_obj"].object_list
    assert [r.amount for r in sorted_rows] == [Decimal("4.00"), Decimal("2.00"), Decimal("1.00")]


def test_csv_export_is_streamed_with_the_filtered_rows(login, owner, partner):
    a = make_customer(name="甲公司")
    make_order(
        partner, a, amount="1000.00", voucher_amount="100.00", formed_at=shanghai(2026, 3, 5, 8)
    )
    make_order(
        partner,
        a,
        amount="50.00",
        order_type=Order.Type.UNSUBSCRIBE,
        formed_at=shanghai(2026, 3, 6, 8),
    )
    make_order(partner, a, amount="7.00", formed_at=shanghai(2026, 2, 6, 8))
    response = login(owner).get(
        reverse("incentives:performance_export", args=["csv"]) + "?period=2026-03",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and response.streaming
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Billing period" and rows[0][-1] == "Performance (CNY)"
    assert len(rows) == 3
    assert rows[1][1] == "2026-03-05 08:00:00"
    assert rows[1][4] == "甲公司"
    assert [r[-1] for r in rows[1:]] == ["900.00", "-50.00"]
    assert rows[2][3] == "Unsubscribe"


def test_xlsx_export_holds_decimal_amounts(login, owner, partner):
    from openpyxl import load_workbook

    make_order(partner, amount="1234.56", formed_at=shanghai(2026, 3, 5, 8))
    response = login(owner).get(
        reverse("incentives:performance_export", args=["xlsx"]) + "?period=2026-03",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and response.streaming
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][-1] == "Performance (CNY)"
    assert Decimal(str(values[1][-1])) == Decimal("1234.56")
    assert len(values) == 2


def test_unknown_export_format_is_404(login, owner):
    assert (
        login(owner).get(reverse("incentives:performance_export", args=["pdf"])).status_code == 404
    )


# ---------------------------------------------------------------- who sees what


def test_outsider_sees_none_of_the_partners_performance(login, partner, outsider):
    make_order(
        partner, make_customer(name="秘密客户"), amount="5555.00", formed_at=shanghai(2026, 3, 5, 8)
    )
    client = login(outsider)
    summary = client.get(reverse("incentives:performance") + "?period=2026-03")
    assert summary.context["summary"].total == 0
    details = client.get(reverse("incentives:performance_details") + "?period=2026-03")
    assert "秘密客户" not in details.content.decode()
    export = client.get(reverse("incentives:performance_export", args=["csv"]) + "?period=")
    assert "秘密客户" not in b"".join(export.streaming_content).decode("utf-8-sig")


def test_a_reseller_sees_only_its_own(login, reseller, reseller_admin, other_reseller):
    make_order(reseller, make_customer(name="自己的客户"), amount="10.00")
    make_order(other_reseller, make_customer(name="别人的客户"), amount="20.00")
    html = (
        login(reseller_admin)
        .get(reverse("incentives:performance_details") + "?period=2026-03")
        .content.decode()
    )
    assert "自己的客户" in html and "别人的客户" not in html


def test_bd_sees_every_partner_and_can_narrow_to_one(login, bd, partner, other_partner):
    make_order(partner, amount="10.00")
    make_order(other_partner, amount="20.00")
    client = login(bd)
    url = reverse("incentives:performance") + "?period=2026-03"
    assert client.get(url).context["summary"].total == Decimal("30.00")
    assert client.get(url + f"&partner={partner.pk}").context["summary"].total == Decimal("10.00")


@pytest.mark.parametrize(
    "name", ["incentives:performance", "incentives:performance_details", "incentives:estimates"]
)
def test_partners_that_do_not_sell_have_no_performance_pages(login, db, name):
    learning = PartnerFactory(types=[PartnerType.LEARNING])
    user = partner_user(learning, Role.PARTNER_ADMIN)
    assert login(user).get(reverse(name)).status_code == 403


@pytest.mark.parametrize(
    "name", ["incentives:performance", "incentives:performance_details", "incentives:dashboard"]
)
def test_anonymous_goes_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_customer_users_get_no_performance(login, customer_user):
    assert login(customer_user).get(reverse("incentives:performance")).status_code == 403


# ---------------------------------------------------------------- query counts


def _queries_for(client, url, django_assert_max_num_queries=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_details_page_query_count_is_fixed_for_1_and_50_rows(login, owner, partner, other_partner):
    customer = make_customer()
    make_order(partner, customer, amount="1.00")
    client = login(owner)
    url = reverse("incentives:performance_details") + "?period=2026-03"
    one = _queries_for(client, url)
    for _ in range(49):
        make_order(partner, make_customer(), amount="2.00")
    assert client.get(url).context["totals"]["count"] == 50
    assert _queries_for(client, url + "&x=1") == one


def test_summary_page_query_count_is_fixed(login, owner, partner):
    make_order(partner, amount="1.00")
    client = login(owner)
    url = reverse("incentives:performance") + "?period=2026-03"
    one = _queries_for(client, url)
    for i in range(49):
        make_order(partner, make_customer(), amount="2.00", product_code=f"p{i % 7}")
    assert _queries_for(client, url) == one
