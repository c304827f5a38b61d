"""The distributor's performance dashboard: its resellers only, details per reseller,
exports, charts of 12 periods drawn from the records, and fixed query counts."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partner_center.accounts.permissions import PartnerType
from tests.factories import PartnerFactory
from tests.incentives.conftest import make_customer, make_order, shanghai

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("incentives:dashboard")


def _march(day=10):
    return shanghai(2026, 3, day, 10)


def test_summary_per_reseller_for_the_period(
    login, distributor_admin, reseller, other_reseller, other_distributor
):
    make_order(reseller, amount="1000.00", formed_at=_march())
    make_order(reseller, amount="200.00", formed_at=shanghai(2026, 2, 3, 9))
    make_order(other_reseller, amount="300.00", formed_at=_march())
    stranger = PartnerFactory(types=[PartnerType.RESELLER], parent_distributor=other_distributor)
    make_order(stranger, amount="9999.00", formed_at=_march())
    response = login(distributor_admin).get(DASHBOARD + "?period=2026-03")
    assert response.status_code == 200
    rows = {r.pk: r for r in response.context["page_obj"]}
    assert set(rows) == {reseller.pk, other_reseller.pk}
    assert rows[reseller.pk].performance == Decimal("1000.00")
    assert rows[reseller.pk].previous == Decimal("200.00")
    assert rows[other_reseller.pk].performance == Decimal("300.00")
    assert response.context["totals"]["total"] == Decimal("1300.00")
    assert [r.pk for r in response.context["page_obj"]] == [reseller.pk, other_reseller.pk]


def test_a_reseller_without_performance_is_listed_with_zero(login, distributor_admin, reseller):
    response = login(distributor_admin).get(DASHBOARD + "?period=2026-03")
    (row,) = response.context["page_obj"]
    assert row.pk == reseller.pk and row.performance == Decimal("0")


def test_details_per_reseller_and_its_filters(login, distributor_admin, reseller, other_reseller):
    mine = make_customer(name="甲客户")
    make_order(reseller, mine, amount="10.00", formed_at=_march(2))
    make_order(reseller, amount="20.00", formed_at=_march(20), product_code="rds")
    make_order(other_reseller, make_customer(name="乙客户"), amount="30.00", formed_at=_march())
    client = login(distributor_admin)
    url = reverse("incentives:dashboard_reseller", args=[reseller.pk]) + "?period=2026-03"
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["totals"]["total"] == Decimal("30.00")
    html = response.content.decode()
    assert "甲客户" in html and "乙客户" not in html
    assert client.get(url + "&formed_from=2026-03-10").context["totals"]["total"] == Decimal(
        "20.00"
    )


def test_export_of_all_resellers_details(login, distributor_admin, reseller, other_reseller):
    make_order(reseller, amount="10.00", formed_at=_march())
    make_order(other_reseller, amount="30.00", formed_at=_march())
    make_order(reseller, amount="5.00", formed_at=shanghai(2026, 2, 1, 9))
    response = login(distributor_admin).get(
        reverse("incentives:dashboard_export", args=["csv"]) + "?period=2026-03",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][-1] == "Reseller"
    assert sorted((r[-1], r[-2]) for r in rows[1:]) == [
        (reseller.name, "10.00"),
        (other_reseller.name, "30.00"),
    ]
    one = login(distributor_admin).get(
        reverse("incentives:dashboard_reseller_export", args=[reseller.pk, "csv"])
        + "?period=2026-03"
    )
    text = b"".join(one.streaming_content).decode("utf-8-sig")
    assert reseller.name in text and other_reseller.name not in text


def test_a_former_reseller_keeps_its_history_with_the_distributor(
    login, distributor_admin, distributor, reseller, other_distributor
):
    make_order(reseller, amount="10.00", formed_at=_march())
    reseller.parent_distributor = other_distributor
    reseller.save(update_fields=["parent_distributor"])
    make_order(reseller, amount="70.00", formed_at=_march(20))  # now under the other one
    client = login(distributor_admin)
    response = client.get(DASHBOARD + "?period=2026-03")
    (row,) = response.context["page_obj"]
    assert row.pk == reseller.pk and row.performance == Decimal("10.00")
    detail = client.get(
        reverse("incentives:dashboard_reseller", args=[reseller.pk]) + "?period=2026-03"
    )
    assert detail.context["totals"]["total"] == Decimal("10.00")


def test_chart_draws_twelve_periods_per_reseller_and_the_total(
    login, distributor_admin, reseller, other_reseller
):
    make_order(reseller, amount="100.00", formed_at=shanghai(2025, 4, 2, 9))  # 12th back
    make_order(reseller, amount="200.00", formed_at=_march())
    make_order(other_reseller, amount="50.00", formed_at=_march())
    make_order(reseller, amount="999.00", formed_at=shanghai(2025, 3, 2, 9))  # 13th: not drawn
    html = login(distributor_admin).get(DASHBOARD + "?period=2026-03").content.decode()
    start = html.index('data-testid="chart"')
    svg = html[start : html.index("</svg>", start)]
    periods = re.findall(r'data-total="[^"]+" data-period="([^"]+)"', svg)
    assert periods[0] == "2025-04" and periods[-1] == "2026-03" and len(periods) == 12
    totals = {
        p: Decimal(v) for v, p in re.findall(r'data-total="([^"]+)" data-period="([^"]+)"', svg)
    }
    assert totals["2026-03"] == Decimal("250.00")
    assert totals["2025-04"] == Decimal("100.00")
    bars = re.findall(r'data-period="([^"]+)" data-series="([^"]+)" data-value="([^"]+)"', svg)
    assert ("2026-03", reseller.name, "200.00") in bars
    assert ("2026-03", other_reseller.name, "50.00") in bars
    assert "999" not in svg


def test_many_resellers_beyond_the_top_ones_are_drawn_as_others(
    login, distributor_admin, distributor
):
    resellers = [
        PartnerFactory(types=[PartnerType.RESELLER], parent_distributor=distributor)
        for _ in range(10)
    ]
    for i, r in enumerate(resellers):
        make_order(r, amount=f"{(i + 1) * 10}.00", formed_at=_march())
    html = (
        login(distributor_admin)
        .get(DASHBOARD + "?period=2026-03", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    bars = re.findall(r'data-series="([^"]+)" data-value="([^"]+)"', html)
    assert ("Other resellers", "30.00") in bars  # the two smallest: 10 + 20
    assert len(bars) == 9


# ---------------------------------------------------------------- who sees what


def test_another_distributors_reseller_is_404(login, other_distributor_admin, reseller):
    make_order(reseller, amount="10.00", formed_at=_march())
    client = login(other_distributor_admin)
    for url in (
        reverse("incentives:dashboard_reseller", args=[reseller.pk]),
        reverse("incentives:dashboard_reseller_export", args=[reseller.pk, "csv"]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.get(DASHBOARD + "?period=2026-03")
    assert reseller.name not in response.content.decode()
    export = client.get(reverse("incentives:dashboard_export", args=["csv"]) + "?period=")
    assert reseller.name not in b"".join(export.streaming_content).decode("utf-8-sig")


def test_a_reseller_has_no_dashboard_and_sees_only_its_own_performance(
    login, reseller_admin, other_reseller
):
    client = login(reseller_admin)
    assert client.get(DASHBOARD).status_code == 403
    assert (
        client.get(reverse("incentives:dashboard_reseller", args=[other_reseller.pk])).status_code
        == 403
    )


def test_an_outsider_partner_gets_no_dashboard(login, outsider):
    assert login(outsider).get(DASHBOARD).status_code == 403


# ---------------------------------------------------------------- query counts


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_query_count_is_fixed_for_1_and_50_resellers(
    login, distributor_admin, distributor
):
    def add_reseller():
        reseller = PartnerFactory(types=[PartnerType.RESELLER], parent_distributor=distributor)
        make_order(reseller, amount="10.00", formed_at=_march())
        make_order(reseller, amount="5.00", formed_at=shanghai(2025, 12, 3, 9))

    add_reseller()
    client = login(distributor_admin)
    url = DASHBOARD + "?period=2026-03"
    one = _count(client, url)
    for _ in range(49):
        add_reseller()
    response = client.get(url)
    assert len(response.context["page_obj"]) == 50
    assert _count(client, url) == one


def test_reseller_details_query_count_is_fixed_for_1_and_50_rows(
    login, distributor_admin, reseller
):
    make_order(reseller, amount="1.00", formed_at=_march())
    client = login(distributor_admin)
    url = reverse("incentives:dashboard_reseller", args=[reseller.pk]) + "?period=2026-03"
    one = _count(client, url)
    for _ in range(49):
        make_order(reseller, make_customer(), amount="1.00", formed_at=_march())
    assert client.get(url).context["totals"]["count"] == 50
    assert _count(client, url) == one
