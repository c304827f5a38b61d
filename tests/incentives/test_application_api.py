"""The incentive application API: the same rules and steps as the pages, outsiders get 404,
fixed query counts for 1 and 50 rows."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incentives import services
from incentives.models import IncentiveApplication
from opportunities.catalog import Product
from tests.helpers import api_client as api
from tests.incentives.conftest import deliver, linked_orders, shanghai
from tests.opportunities.conftest import make_po

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_march")]
BASE = "/api/v1/incentives"


def test_the_whole_flow_over_the_api(owner, bd, partner, opportunity):
    linked_orders(opportunity, partner, "2000.00", formed_at=shanghai(2026, 3, 5, 9))
    partner_api, bd_api = api(owner), api(bd)
    pending = partner_api.get(f"{BASE}/pending/").json()
    assert [(r["offering"], r["eligible"], r["basis_so_far"]) for r in pending["results"]] == [
        ("ecs", True, "2000.00"),
        ("rds", True, "0.00"),
    ]
    created = partner_api.post(
        f"{BASE}/applications/", {"opportunity": opportunity.pk, "offering": "ecs"}
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    again = partner_api.post(
        f"{BASE}/applications/", {"opportunity": opportunity.pk, "offering": "ecs"}
    )
    assert again.status_code == 400 and "offering" in again.json()["fields"]
    assert partner_api.post(f"{BASE}/applications/{pk}/publish/", {}).status_code == 403
    published = bd_api.post(f"{BASE}/applications/{pk}/publish/", {}, format="json").json()
    assert published["state"] == "publicity"
    assert (published["basis"], published["amount"], published["tax"], published["total"]) == (
        "2000.00",
        "100.00",
        "6.00",
        "106.00",
    )
    disputed = partner_api.post(f"{BASE}/applications/{pk}/dispute/", {"reason": "基数不对"})
    assert disputed.json()["state"] == "under_review"
    bd_api.post(
        f"{BASE}/applications/{pk}/publish/",
        {"basis": "2500.00", "note": "补单"},
        format="json",
    )
    assert partner_api.post(f"{BASE}/applications/{pk}/confirm/").json()["state"] == "confirmed"
    requested = partner_api.post(
        f"{BASE}/applications/{pk}/request_payment/", {"invoice_no": "INV-7"}
    ).json()
    assert requested["state"] == "payment_requested"
    paid = bd_api.post(f"{BASE}/applications/{pk}/mark_paid/", {"reference": "P-1"}).json()
    assert paid["state"] == "completed" and paid["total"] == "132.50"


def test_check_explains_an_ineligible_offering(owner, opportunity):
    data = api(owner).get(f"{BASE}/pending/check/?opportunity={opportunity.pk}&offering=cdn").json()
    assert data["eligible"] is False and data["reason"] == "not_an_offering"
    ok = api(owner).get(f"{BASE}/pending/check/?opportunity={opportunity.pk}&offering=ecs")
    assert ok.json()["eligible"] is True


def test_outsiders_get_404(outsider, owner, opportunity):
    app = services.incentive_apply(actor=owner, opportunity=opportunity, offering="ecs")
    client = api(outsider)
    assert client.get(f"{BASE}/applications/{app.pk}/").status_code == 404
    for step in ("confirm", "dispute", "request_payment"):
        assert (
            client.post(
                f"{BASE}/applications/{app.pk}/{step}/", {"reason": "x", "invoice_no": "1"}
            ).status_code
            == 404
        ), step
    assert (
        client.post(
            f"{BASE}/applications/", {"opportunity": opportunity.pk, "offering": "rds"}
        ).status_code
        == 404
    )
    assert (
        client.get(f"{BASE}/pending/check/?opportunity={opportunity.pk}&offering=ecs").status_code
        == 404
    )
    assert client.get(f"{BASE}/applications/").json()["count"] == 0
    assert client.get(f"{BASE}/pending/").json()["count"] == 0


def test_bd_cannot_apply_and_sees_all(bd, owner, opportunity):
    services.incentive_apply(actor=owner, opportunity=opportunity, offering="ecs")
    client = api(bd)
    assert client.get(f"{BASE}/applications/").json()["count"] == 1
    assert (
        client.post(
            f"{BASE}/applications/", {"opportunity": opportunity.pk, "offering": "rds"}
        ).status_code
        == 403
    )
    assert client.get(f"{BASE}/pending/").status_code == 403


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


def test_list_query_counts_are_fixed_for_1_and_50(owner, bd, program):
    with time_machine.travel(shanghai(2026, 3, 1, 9), tick=False):
        pos = [
            make_po(
                owner,
                state="verified",
                bd=bd,
                products=list(Product.values),
                customer_name=f"客户{i}有限公司",
            )
            for i in range(4)
        ]
    pos = [deliver(po, owner, bd, delivered_on=date(2026, 3, 10)) for po in pos]
    services.incentive_apply(actor=owner, opportunity=pos[0], offering="ecs")
    client, staff = api(owner), api(bd)
    url = f"{BASE}/applications/"
    pending_url = f"{BASE}/pending/"
    one = (_count(client, url)[0], _count(staff, url)[0], _count(client, pending_url)[0])
    pairs = [(p, o) for p in pos for o in Product.values if (p, o) != (pos[0], "ecs")][:49]
    for po, offering in pairs:
        services.incentive_apply(actor=owner, opportunity=po, offering=offering)
    assert IncentiveApplication.objects.count() == 50
    fifty = (_count(client, url), _count(staff, url), _count(client, pending_url))
    assert fifty[0][1]["count"] == 50 and fifty[1][1]["count"] == 50
    assert tuple(f[0] for f in fifty) == one
