"""Bills built from the customers app's orders and consumption, at month end and on demand."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from billing import services, tasks
from billing.models import Bill, BillLine
from billing.periods import SHANGHAI
from customers import services as customer_services
from customers.models import ImportRun
from partner_center.accounts.permissions import PartnerType, Role
from partner_center.outbox.models import OutboxEntry
from tests.customers.conftest import associate, make_customer, open_account
from tests.factories import PartnerFactory, partner_user
from tests.helpers import api_client, imported, order_payload

pytestmark = pytest.mark.django_db

MAY = datetime(2026, 5, 1, tzinfo=SHANGHAI)
APRIL = datetime(2026, 4, 1, tzinfo=SHANGHAI)


def queued_calls(task_name: str) -> list[tuple]:
    """(partner id, period) of each outbox entry for `task_name` (what a worker would run)."""
    return [
        (e.payload["partner_id"], e.payload["period"])
        for e in OutboxEntry.objects.filter(task_name=task_name).order_by("pk")
    ]


def at(day, hour=10, minute=0):
    return MAY.replace(day=day, hour=hour, minute=minute)


def usage(no, customer, amount, moment, product="obs", **extra):
    return {
        "record_no": no,
        "customer_account": customer.account_name,
        "product": product,
        "product_name": {"obs": "对象存储服务 OBS", "ecs": "弹性云服务器 ECS"}[product],
        "amount": str(amount),
        "consumed_at": moment.isoformat(),
        **extra,
    }


def order(no, customer, kind, amount, moment, resource, **extra):
    line = {"resource_id": resource, "amount": str(amount), "periods": 1}
    if kind == "new":
        line.update(
            name="web01", billing_mode="month", expires_at=(moment + timedelta(days=30)).isoformat()
        )
    return order_payload(
        no, customer, kind=kind, amount=amount, formed_at=moment, line=line, **extra
    )


def record(**payload):
    return imported(payload, source=ImportRun.Source.COMMAND)


@pytest.fixture
def hosted(partner, owner):
    customer = make_customer(name="杭州云启智能科技有限公司", account_name="hz-yunqi")
    association = associate(owner, customer, "reseller", at=APRIL)
    open_account(association, owner, amount="10000")
    return customer


@pytest.fixture
def referral(partner, owner):
    customer = make_customer(name="北辰自付有限公司", account_name="bc-self")
    associate(owner, customer, "referral", at=APRIL)
    return customer


@pytest.fixture
def dist_setup(db):
    distributor = PartnerFactory(name="鼎盛云联信息技术有限公司", types=[PartnerType.DISTRIBUTOR])
    reseller = PartnerFactory(
        name="启航云服科技(深圳)有限公司",
        types=[PartnerType.RESELLER],
        parent_distributor=distributor,
    )
    own = make_customer(name="总经销直属客户有限公司", account_name="dist-own")
    theirs = make_customer(name="二级客户有限公司", account_name="resa-cust")
    associate(partner_user(distributor, Role.PARTNER_ADMIN), own, "reseller", at=APRIL)
    associate(partner_user(reseller, Role.PARTNER_ADMIN), theirs, "reseller", at=APRIL)
    return distributor, reseller, own, theirs


def test_hosted_orders_and_consumption_make_the_bill(partner, hosted, referral, other_partner):
    with time_machine.travel(datetime(2026, 6, 1, 0, 30, tzinfo=SHANGHAI)):
        record(
            orders=[
                order("CS-NEW-1", hosted, "new", "1200.00", at(2), "ecs-1"),
                order("CS-UNSUB-1", hosted, "unsubscribe", "300.00", at(20), "ecs-1"),
            ],
            consumption=[
                usage("UR-1", hosted, "12.80", at(3, 9)),
                usage("UR-2", hosted, "7.20", at(31, 23, 59)),  # 15:59 UTC: still May
                usage("UR-JUN", hosted, "1.00", datetime(2026, 6, 1, 0, 10, tzinfo=SHANGHAI)),
                usage("UR-REF", referral, "99.00", at(4)),  # the customer pays itself
                usage("UR-APR", hosted, "5.00", APRIL.replace(day=30)),  # another period
            ],
        )
        bill = services.bill_generate(partner=partner, period="2026-05")
    lines = {line.source_ref: line for line in BillLine.objects.filter(bill=bill)}
    assert set(lines) == {"order:CS-NEW-1", "order:CS-UNSUB-1", "usage:UR-1", "usage:UR-2"}
    new, unsub, first = lines["order:CS-NEW-1"], lines["order:CS-UNSUB-1"], lines["usage:UR-1"]
    assert (new.line_type, new.amount, new.order_no) == ("new", Decimal("1200.00"), "CS-NEW-1")
    assert (unsub.line_type, unsub.amount) == ("unsubscribe", Decimal("-300.00"))
    assert (first.customer_name, first.customer_account) == ("杭州云启智能科技有限公司", "hz-yunqi")
    assert (first.product_code, first.product_name) == ("obs", "对象存储服务 OBS")
    assert first.reseller_id is None and first.reseller_name == ""
    assert bill.consumption_amount == Decimal("1220.00")
    assert bill.refund_amount == Decimal("300.00")
    assert bill.amount_due == Decimal("920.00")
    assert services.bill_generate(partner=other_partner, period="2026-05") is None


def test_vouchers_used_are_taken_off(partner, owner, hosted):
    with time_machine.travel(at(28)):
        record(consumption=[usage("UR-1", hosted, "100.00", at(3))])
        bill = services.bill_generate(partner=partner, period="2026-05")
    assert bill.amount_due == Decimal("100.00")
    BillLine.objects.all().delete()
    # a voucher paying part of a line lowers the amount due by that part
    from customers.models import ConsumptionRecord

    ConsumptionRecord.objects.filter(record_no="UR-1").update(voucher_amount=Decimal("30.00"))
    bill = services.bill_generate(partner=partner, period="2026-05")
    assert (bill.voucher_amount, bill.amount_due) == (Decimal("30.00"), Decimal("70.00"))


def test_distributor_bill_holds_its_resellers_customers(dist_setup):
    distributor, reseller, own, theirs = dist_setup
    with time_machine.travel(at(28)):
        record(
            consumption=[
                usage("UR-OWN", own, "10.00", at(2)),
                usage("UR-RES", theirs, "20.00", at(3)),
            ]
        )
        bill = services.bill_generate(partner=distributor, period="2026-05")
        assert services.bill_generate(partner=reseller, period="2026-05") is None
    lines = {line.source_ref: line for line in BillLine.objects.filter(bill=bill)}
    assert lines["usage:UR-OWN"].reseller_id is None
    assert (lines["usage:UR-RES"].reseller_id, lines["usage:UR-RES"].reseller_name) == (
        reseller.pk,
        "启航云服科技(深圳)有限公司",
    )
    assert bill.amount_due == Decimal("30.00")


def test_unbinding_month_before_on_the_bill_after_not(partner, owner, hosted):
    from customers.models import Association

    association = Association.objects.get(customer=hosted)
    with time_machine.travel(at(28)):
        record(consumption=[usage("UR-BEFORE", hosted, "10.00", at(10))])
        customer_services.customer_unbind(actor=owner, association=association, now=at(15))
        record(consumption=[usage("UR-AFTER", hosted, "40.00", at(20))])
        bill = services.bill_generate(partner=partner, period="2026-05")
    assert list(BillLine.objects.filter(bill=bill).values_list("source_ref", flat=True)) == [
        "usage:UR-BEFORE"
    ]


def test_open_bill_follows_new_records_settled_bill_does_not(partner, hosted):
    with time_machine.travel(at(10)):
        record(consumption=[usage("UR-1", hosted, "10.00", at(2))])
        bill = services.bill_generate(partner=partner, period="2026-05")
        assert bill.amount_due == Decimal("10.00")
        record(consumption=[usage("UR-2", hosted, "5.00", at(9))])
        assert services.bill_generate(partner=partner, period="2026-05").amount_due == Decimal(
            "15.00"
        )
    with time_machine.travel(datetime(2026, 6, 1, 2, 30, tzinfo=SHANGHAI)):
        closed = services.bill_close(partner_id=partner.pk, period="2026-05")
        assert closed.state == Bill.State.SETTLED
        record(consumption=[usage("UR-LATE", hosted, "99.00", at(30))])  # arrives late
        again = services.bill_generate(partner=partner, period="2026-05")
    assert again.pk == bill.pk and again.amount_due == Decimal("15.00")


def test_month_end_closes_every_partner_once(partner, hosted, dist_setup, monkeypatch):
    distributor, _reseller, own, theirs = dist_setup
    with time_machine.travel(at(28)):
        record(
            consumption=[
                usage("UR-1", hosted, "10.00", at(2)),
                usage("UR-2", theirs, "20.00", at(3)),
            ]
        )
        services.bill_generate(partner=partner, period="2026-05")  # an open bill already
    with time_machine.travel(datetime(2026, 5, 31, 23, 0, tzinfo=SHANGHAI)):
        assert services.bills_to_close() == []  # May is still running
    with time_machine.travel(datetime(2026, 6, 1, 2, 30, tzinfo=SHANGHAI)):
        assert tasks.close_ended_periods() == 2
        queued = queued_calls("billing.tasks.close_bill")
        assert sorted(queued) == sorted([(partner.pk, "2026-05"), (distributor.pk, "2026-05")])
        for args in queued:
            tasks.close_bill(*args)
        for args in queued:  # a second run changes nothing
            tasks.close_bill(*args)
        OutboxEntry.objects.all().delete()
        assert tasks.close_ended_periods() == 0  # the next night: nothing left to close
        assert Bill.objects.filter(state=Bill.State.OPEN).count() == 0
    bills = {b.partner_id: b for b in Bill.objects.all()}
    assert bills[partner.pk].amount_due == Decimal("10.00")
    assert bills[distributor.pk].amount_due == Decimal("20.00")
    assert all(b.state == Bill.State.SETTLED for b in bills.values())


def test_a_late_run_still_closes_an_older_open_bill(partner, hosted):
    with time_machine.travel(at(28)):
        record(consumption=[usage("UR-1", hosted, "10.00", at(2))])
        services.bill_generate(partner=partner, period="2026-05")
    with time_machine.travel(datetime(2026, 7, 3, tzinfo=SHANGHAI)):  # June's run was missed
        assert (partner.pk, "2026-05") in services.bills_to_close()
        services.bill_close(partner_id=partner.pk, period="2026-05")
    assert Bill.objects.get().state == Bill.State.SETTLED


def test_refresh_the_running_period_on_demand(
    partner, owner, hosted, login, django_capture_on_commit_callbacks, monkeypatch
):
    with time_machine.travel(at(20)):
        record(consumption=[usage("UR-1", hosted, "10.00", at(2))])
        client = login(owner)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("billing:bill_refresh", args=["2026-05"]), follow=True)
        assert response.status_code == 200
        queued = queued_calls("billing.tasks.generate_bill")
        assert queued == [(partner.pk, "2026-05")]
        assert tasks.generate_bill(*queued[0]) == 1
        page = client.get(reverse("billing:bill_overview", args=["2026-05"]))
        assert page.context["bill"].amount_due == Decimal("10.00")
        # only the running period
        refused = client.post(reverse("billing:bill_refresh", args=["2026-04"]), follow=True)
        assert (
            "只有当前账期" in refused.content.decode()
            or "running period" in refused.content.decode()
        )
    assert queued_calls("billing.tasks.generate_bill") == [(partner.pk, "2026-05")]


def test_refresh_from_the_api(partner, owner, django_capture_on_commit_callbacks, monkeypatch):

    client = api_client(owner)
    with time_machine.travel(at(20)), django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(
                "/api/v1/billing/bills/refresh/", {"period": "2026-05"}, format="json"
            ).status_code
            == 202
        )
        assert (
            client.post(
                "/api/v1/billing/bills/refresh/", {"period": "2026-04"}, format="json"
            ).status_code
            == 400
        )
    assert queued_calls("billing.tasks.generate_bill") == [(partner.pk, "2026-05")]


def test_close_schedule_is_declared():
    from billing.schedules import SCHEDULE

    assert SCHEDULE["billing-close-ended-periods"]["task"] == tasks.close_ended_periods.name


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_month_end_through_a_real_worker(partner, owner, dist_setup):
    import threading

    from celery.contrib.testing.worker import start_worker

    from partner_center.celery import app

    distributor, _reseller, own, theirs = dist_setup
    hosted = make_customer(name="杭州云启智能科技有限公司", account_name="hz-yunqi-w")
    associate(owner, hosted, "reseller", at=APRIL)
    with time_machine.travel(at(28)):
        record(
            consumption=[
                usage("UR-1", hosted, "10.00", at(2)),
                usage("UR-2", theirs, "20.00", at(3)),
            ]
        )
    pause = threading.Event()
    with (
        time_machine.travel(datetime(2026, 6, 1, 2, 30, tzinfo=SHANGHAI), tick=True),
        start_worker(app, perform_ping_check=False, pool="solo", concurrency=1),
    ):
        tasks.close_ended_periods.delay()
        for _ in range(300):
            if Bill.objects.filter(state=Bill.State.SETTLED).count() == 2:
                break
            pause.wait(0.1)
    settled = dict(
        Bill.objects.filter(state=Bill.State.SETTLED).values_list("partner_id", "amount_due")
    )
    assert settled == {partner.pk: Decimal("10.00"), distributor.pk: Decimal("20.00")}
