"""Orders and consumption come from the vendor's site through the importer (command and
API), idempotent by number; the refund trace of unsubscribe and downgrade orders."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from customers.imports import import_payload
from customers.models import (
    Attribution,
    ConsumptionRecord,
    ImportRun,
    Order,
    Resource,
)
from tests.customers.conftest import associate, make_customer, open_account
from tests.helpers import api_client

pytestmark = pytest.mark.django_db


def iso(delta_days):
    return (timezone.now() + timedelta(days=delta_days)).isoformat()


def new_order(no, account, rid="ecs-1", amount="1000.00", days_ago=30, **extra):
    return {
        "order_no": no,
        "customer_account": account,
        "type": "new",
        "product": "ecs",
        "product_name": "弹性云服务器 ECS",
        "amount": amount,
        "formed_at": iso(-days_ago),
        **extra,
        "lines": [
            {
                "resource_id": rid,
                "name": "web",
                "billing_mode": "month",
                "amount": amount,
                "expires_at": iso(30 - days_ago),
            }
        ],
    }


def obs_usage(no, customer, amount):
    """A consumption record of object storage, from yesterday."""
    return {
        "record_no": no,
        "customer_account": customer.account_name,
        "product": "obs",
        "amount": amount,
        "consumed_at": iso(-1),
    }


@pytest.fixture
def account(owner, customer, agreement):
    """A funded hosted account, associated 90 days ago."""
    association = associate(owner, customer, at=timezone.now() - timedelta(days=90))
    return open_account(association, owner, amount="1000.00")


def run(payload, source=ImportRun.Source.API):
    return import_payload(actor=None, payload=payload, source=source)


def test_orders_are_attributed_and_paid_from_the_hosted_account(owner, customer, account):
    result = run({"orders": [new_order("O1", customer.account_name, days_ago=0)]})
    assert (result.created, result.failed) == (1, 0), result.errors
    order = Order.objects.get(order_no="O1")
    assert order.partner == owner.partner and order.distributor is None
    assert order.attributed_to == Attribution.HOSTED_SUB_ACCOUNT and order.account == account
    assert order.billing_period == timezone.localtime(order.formed_at).strftime("%Y-%m")
    account.refresh_from_db()
    assert account.balance == 0
    resource = Resource.objects.get(resource_id="ecs-1")
    assert resource.original_order == order and resource.partner == owner.partner


def test_import_is_idempotent_by_number(owner, customer, account):
    payload = {
        "orders": [new_order("O1", customer.account_name, amount="100.00")],
        "consumption": [obs_usage("C1", customer, "3.20")],
    }
    first = run(payload)
    second = run(payload)
    assert (first.created, first.skipped, second.created, second.skipped) == (2, 0, 0, 2)
    assert Order.objects.count() == 1 and ConsumptionRecord.objects.count() == 1
    account.refresh_from_db()
    assert account.balance == Decimal("900.00")  # paid once


def test_bad_rows_are_refused_with_reasons_and_good_rows_recorded(owner, customer, account):
    payload = {
        "orders": [
            new_order("OK1", customer.account_name, amount="10.00"),
            new_order("BAD1", "nobody", rid="x1"),
            {**new_order("BAD2", customer.account_name, rid="x2"), "amount": "5.00"},
            new_order("BAD3", customer.account_name, rid="x3", amount="5000.00"),
            {"order_no": "BAD4"},
        ]
    }
    result = run(payload)
    assert result.created == 1 and result.failed == 4
    reasons = {e["number"]: e["error"] for e in result.errors}
    assert "Unknown customer account" in reasons["BAD1"]
    assert "do not add up" in reasons["BAD2"]
    assert "balance is too low" in reasons["BAD3"]
    assert "customer_account" in reasons["BAD4"]
    assert set(Order.objects.values_list("order_no", flat=True)) == {"OK1"}


def test_frozen_account_refuses_a_purchase(owner, customer, agreement):
    associate(owner, customer)
    result = run({"orders": [new_order("F1", customer.account_name, amount="1.00", days_ago=0)]})
    assert result.failed == 1 and "frozen" in result.errors[0]["error"]


def test_refund_trace_of_unsubscribe_and_downgrade(login, owner, customer, account):
    run(
        {
            "orders": [
                new_order("N1", customer.account_name, "ecs-a", "300.00"),
                new_order("N2", customer.account_name, "ecs-b", "200.00"),
                {
                    "order_no": "R1",
                    "customer_account": customer.account_name,
                    "type": "renewal",
                    "product": "ecs",
                    "amount": "300.00",
                    "formed_at": iso(-10),
                    "lines": [{"resource_id": "ecs-a", "amount": "300.00", "expires_at": iso(30)}],
                },
                {
                    "order_no": "U1",
                    "customer_account": customer.account_name,
                    "type": "unsubscribe",
                    "product": "ecs",
                    "amount": "350.00",
                    "formed_at": iso(-1),
                    "lines": [
                        {"resource_id": "ecs-a", "amount": "250.00", "original_order_no": "R1"},
                        {"resource_id": "ecs-b", "amount": "100.00"},
                    ],
                },
            ]
        }
    )
    refund = Order.objects.get(order_no="U1")
    trace = [
        (line.resource.resource_id, line.original_order.order_no, line.amount)
        for line in refund.lines.order_by("id")
    ]
    assert trace == [("ecs-a", "R1", Decimal("250.00")), ("ecs-b", "N2", Decimal("100.00"))]
    assert Resource.objects.get(resource_id="ecs-a").status == Resource.Status.UNSUBSCRIBED
    account.refresh_from_db()
    assert account.balance == Decimal("1000.00") - 800 + 350
    page = login(owner).get(reverse("customers:order_detail", args=[refund.pk])).content.decode()
    assert page.count('data-testid="original-order"') == 2 and "R1" in page and "N2" in page
    assert "¥350.00" in page
    api = api_client(owner)
    lines = api.get(f"/api/v1/customers/orders/{refund.pk}/").json()["lines"]
    assert [(x["resource_id"], x["original_order_no"], x["amount"]) for x in lines] == [
        ("ecs-a", "R1", "250.00"),
        ("ecs-b", "N2", "100.00"),
    ]


def test_order_before_the_association_counts_for_nobody(owner, agreement):
    customer = make_customer()
    open_account(associate(owner, customer), owner, amount="100")
    run({"orders": [new_order("E1", customer.account_name, amount="40.00", days_ago=3)]})
    order = Order.objects.get(order_no="E1")
    assert order.partner is None and order.attributed_to == Attribution.MAIN_ACCOUNT


def test_reseller_orders_name_the_distributor(
    reseller, reseller_admin, distributor, distributor_admin, agreement
):
    from customers import services

    services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="500")
    customer = make_customer()
    open_account(associate(reseller_admin, customer), reseller_admin, amount="100")
    run({"orders": [new_order("D1", customer.account_name, amount="40.00", days_ago=0)]})
    order = Order.objects.get(order_no="D1")
    assert (
        order.partner == reseller
        and order.distributor == distributor
        and order.reseller == reseller
    )


def test_management_command(tmp_path, owner, customer, account):
    path = tmp_path / "records.json"
    path.write_text(json.dumps({"orders": [new_order("M1", customer.account_name, amount="1.00")]}))
    call_command("import_vendor_records", str(path))
    assert Order.objects.filter(order_no="M1").exists()
    assert ImportRun.objects.get().source == ImportRun.Source.COMMAND
    path.write_text(json.dumps({"orders": [new_order("M2", "nobody", rid="z")]}))
    with pytest.raises(CommandError, match="1 row"):
        call_command("import_vendor_records", str(path))


class TestApi:
    def test_only_admins_import(self, owner, admin_user, customer, account):
        payload = {"orders": [new_order("A1", customer.account_name, amount="1.00")]}
        api = api_client(owner)
        assert api.post("/api/v1/customers/import/", payload, format="json").status_code == 403
        api.force_authenticate(admin_user)
        body = api.post("/api/v1/customers/import/", payload, format="json").json()
        assert body["created"] == 1 and body["failed"] == 0
        body = api.post("/api/v1/customers/import/", payload, format="json").json()
        assert body["skipped"] == 1

    def test_orders_and_consumption_are_scoped(self, owner, outsider, customer, account):
        run(
            {
                "orders": [new_order("S1", customer.account_name, amount="1.00")],
                "consumption": [obs_usage("SC1", customer, "3.00")],
            }
        )
        api = api_client(owner)
        assert [o["order_no"] for o in api.get("/api/v1/customers/orders/").json()["results"]] == [
            "S1"
        ]
        assert (
            api.get("/api/v1/customers/consumption/").json()["results"][0]["attributed_to"]
            == "hosted_sub_account"
        )
        order_id = Order.objects.get().pk
        api.force_authenticate(outsider)
        assert api.get("/api/v1/customers/orders/").json()["results"] == []
        assert api.get(f"/api/v1/customers/orders/{order_id}/").status_code == 404
        assert api.get("/api/v1/customers/consumption/").json()["results"] == []
