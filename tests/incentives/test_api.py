"""The API over performance, the dashboard, statements and the program: same scoping as the
pages, outsiders get 404, fixed query counts for 1 and 50 rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incentives.models import PeriodStatement
from partner_center.accounts.permissions import PartnerType
from tests.factories import PartnerFactory
from tests.helpers import api_client as api
from tests.incentives.conftest import make_customer, make_order, shanghai

pytestmark = pytest.mark.django_db

BASE = "/api/v1/incentives"


def _count(client, url) -> tuple[int, dict]:
    client.get(url)  # warm up: the first request caches the user's partner
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


def test_performance_list_and_summary(owner, partner, outsider):
    make_order(
        partner, make_customer(name="甲"), amount="100.00", formed_at=shanghai(2026, 3, 2, 9)
    )
    make_order(partner, amount="50.00", formed_at=shanghai(2025, 3, 2, 9))
    data = api(owner).get(f"{BASE}/performance/?period=2026-03").json()
    assert data["count"] == 1 and data["results"][0]["amount"] == "100.00"
    assert data["results"][0]["customer_name"] == "甲"
    assert api(owner).get(f"{BASE}/performance/?period=2025-03").json()["count"] == 1
    summary = api(owner).get(f"{BASE}/performance/summary/?period=2026-03").json()
    assert summary["total"] == "100.00" and summary["by_type"][0]["key"] == "new"
    record_id = data["results"][0]["id"]
    assert api(outsider).get(f"{BASE}/performance/{record_id}/").status_code == 404
    assert api(outsider).get(f"{BASE}/performance/?period=2026-03").json()["count"] == 0
    assert api(outsider).get(f"{BASE}/performance/summary/?period=2026-03").json()["total"] == (
        "0.00"
    )


def test_performance_list_query_count_1_and_50(owner, partner):
    make_order(partner, amount="1.00")
    client = api(owner)
    url = f"{BASE}/performance/?period=2026-03"
    one, _ = _count(client, url)
    for _ in range(49):
        make_order(partner, make_customer(), amount="1.00")
    fifty, data = _count(client, url)
    assert data["count"] == 50 and len(data["results"]) == 50
    assert fifty == one


def test_dashboard_endpoints(distributor_admin, reseller, other_reseller, other_distributor_admin):
    make_order(reseller, amount="100.00", formed_at=shanghai(2026, 3, 2, 9))
    make_order(other_reseller, amount="30.00", formed_at=shanghai(2026, 2, 2, 9))
    client = api(distributor_admin)
    data = client.get(f"{BASE}/dashboard/?period=2026-03").json()
    assert {r["id"]: r["performance"] for r in data["results"]} == {
        reseller.pk: "100.00",
        other_reseller.pk: "0.00",
    }
    one = client.get(f"{BASE}/dashboard/{other_reseller.pk}/?period=2026-03").json()
    assert one["previous"] == "30.00" and one["is_current_reseller"] is True
    records = client.get(f"{BASE}/dashboard/{reseller.pk}/records/?period=2026-03").json()
    assert [r["amount"] for r in records["results"]] == ["100.00"]
    chart = client.get(f"{BASE}/dashboard/chart/?period=2026-03").json()
    assert len(chart["periods"]) == 12 and chart["total"][-1] == "100.00"
    assert chart["total"][-2] == "30.00"
    assert {s["reseller"] for s in chart["series"]} == {reseller.pk, other_reseller.pk}
    outsider = api(other_distributor_admin)
    assert outsider.get(f"{BASE}/dashboard/{reseller.pk}/").status_code == 404
    assert outsider.get(f"{BASE}/dashboard/{reseller.pk}/records/").status_code == 404
    assert outsider.get(f"{BASE}/dashboard/").json()["count"] == 0


def test_dashboard_is_for_distributors_only(reseller_admin, owner):
    assert api(reseller_admin).get(f"{BASE}/dashboard/").status_code == 403
    assert api(owner).get(f"{BASE}/dashboard/chart/").status_code == 403


def test_dashboard_list_query_count_1_and_50(distributor_admin, distributor):
    def add():
        r = PartnerFactory(types=[PartnerType.RESELLER], parent_distributor=distributor)
        make_order(r, amount="5.00", formed_at=shanghai(2026, 3, 2, 9))

    add()
    client = api(distributor_admin)
    url = f"{BASE}/dashboard/?period=2026-03"
    one, _ = _count(client, url)
    for _ in range(49):
        add()
    fifty, data = _count(client, url)
    assert data["count"] == 50 and fifty == one
    chart_one, _ = _count(client, f"{BASE}/dashboard/chart/?period=2026-03")
    assert chart_one == 3  # cells, names of the top resellers, totals


def test_statements_scoped_and_counted(owner, partner, outsider):
    statement = PeriodStatement.objects.create(
        partner=partner, period="2026-01", performance=Decimal("10.00")
    )
    assert api(owner).get(f"{BASE}/statements/").json()["count"] == 1
    assert api(outsider).get(f"{BASE}/statements/{statement.pk}/").status_code == 404
    client = api(owner)
    one, _ = _count(client, f"{BASE}/statements/")
    PeriodStatement.objects.bulk_create(
        PeriodStatement(
            partner=partner, period=f"20{10 + i // 12}-{i % 12 + 1:02d}", performance=Decimal("1")
        )
        for i in range(49)
    )
    fifty, data = _count(client, f"{BASE}/statements/")
    assert data["count"] == 50 and fifty == one
    running = client.get(f"{BASE}/statements/running/").json()
    assert running["partner"] == partner.pk


def test_program_periods_are_readable(owner, program):
    data = api(owner).get(f"{BASE}/program/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["results"][0]["opportunity_rate"] == "5.00"
    assert data["results"][0]["rules"] == "Rules"
    assert data["results"][0]["rules_zh"] == "规则"


def test_anonymous_gets_nothing(client):
    for path in ("performance/", "dashboard/", "statements/", "program/"):
        assert client.get(f"{BASE}/{path}").status_code in (401, 403)
