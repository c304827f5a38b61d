"""Subscriptions that deliver [R4.5, R4.6]: the new-customer label computed from the imported
orders, and the daily digests (new-customer label; reseller information for distributors),
one per partner and day, only with content, once even when the task runs twice."""

from datetime import datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.urls import reverse

from customers import services
from customers.digests import reseller_lines, send_daily_digests
from customers.models import Association, BillingModel, ImportRun
from customers.new_customer import NEW_CUSTOMER_WINDOW
from partner_center.accounts import services as partner_services
from partner_center.accounts.permissions import PartnerType, Role
from partner_center.notifications import services as notification_services
from partner_center.notifications.models import Digest, Notification, Topic, TopicSettings
from partner_center.programs import services as programs
from partner_center.timezones import SHANGHAI
from tests.customers.conftest import associate, make_customer, open_account
from tests.factories import next_credit_code, partner_user
from tests.helpers import api_client, imported, order_payload

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 11, 10, 10, 0, tzinfo=SHANGHAI)  # the day things happen
NEXT_MORNING = datetime(2026, 11, 11, 8, 0, tzinfo=SHANGHAI)  # the digest run


def order(no, customer, formed_at, amount="1200.00", kind="new", rid=None):
    line = {
        "resource_id": rid or f"r-{no}",
        "name": "web",
        "billing_mode": "month",
        "amount": amount,
        "expires_at": (formed_at + timedelta(days=30)).isoformat(),
    }
    return order_payload(no, customer, kind=kind, amount=amount, formed_at=formed_at, line=line)


def run_import(admin_user, *orders):
    return imported({"orders": list(orders)}, actor=admin_user)


def referral(owner, customer, at):
    return associate(owner, customer, BillingModel.REFERRAL, at=at)


# ---------------------------------------------------------------- the label (R4.5)


def test_first_paid_order_within_90_days_labels_the_customer(owner, admin_user, agreement):
    customer = make_customer()
    start = DAY - timedelta(days=40)
    association = referral(owner, customer, start)
    with time_machine.travel(DAY, tick=False):
        run_import(admin_user, order("N1", customer, DAY - timedelta(hours=1)))
    association.refresh_from_db()
    assert association.new_customer_at == DAY - timedelta(hours=1)
    assert association.new_customer_labelled_at == DAY


def test_first_paid_order_after_90_days_gives_no_label(owner, admin_user, agreement):
    customer = make_customer()
    start = DAY - NEW_CUSTOMER_WINDOW - timedelta(days=1)
    association = referral(owner, customer, start)
    with time_machine.travel(DAY, tick=False):
        run_import(admin_user, order("N2", customer, DAY - timedelta(hours=1)))
    association.refresh_from_db()
    assert association.new_customer_at is None


def test_a_customer_that_paid_before_the_association_is_not_new(owner, admin_user, agreement):
    customer = make_customer()
    with time_machine.travel(DAY - timedelta(days=50), tick=False):
        run_import(admin_user, order("OLD", customer, DAY - timedelta(days=51)))
    association = referral(owner, customer, DAY - timedelta(days=20))
    with time_machine.travel(DAY, tick=False):
        run_import(admin_user, order("N3", customer, DAY - timedelta(hours=1)))
    association.refresh_from_db()
    assert association.new_customer_at is None


def test_refunds_and_free_orders_do_not_count_and_a_late_earlier_order_moves_the_label(
    owner, admin_user, agreement
):
    customer = make_customer()
    association = referral(owner, customer, DAY - timedelta(days=60))
    with time_machine.travel(DAY, tick=False):
        run_import(admin_user, order("FREE", customer, DAY - timedelta(days=59), amount="0.00"))
        association.refresh_from_db()
        assert association.new_customer_at is None
        run_import(admin_user, order("PAID", customer, DAY - timedelta(days=10)))
        association.refresh_from_db()
        assert association.new_customer_at == DAY - timedelta(days=10)
        # An order from before the association, imported late: the customer was not new.
        run_import(admin_user, order("EARLY", customer, DAY - timedelta(days=70)))
    association.refresh_from_db()
    assert association.new_customer_at is None


def test_label_badge_filter_and_api_field(owner, admin_user, agreement, login):
    new, old = make_customer(name="新客户有限公司"), make_customer(name="老客户有限公司")
    new_assoc = referral(owner, new, DAY - timedelta(days=5))
    referral(owner, old, DAY - timedelta(days=5))
    with time_machine.travel(DAY, tick=False):
        run_import(admin_user, order("B1", new, DAY - timedelta(hours=2)))
    client = login(owner)
    page = client.get(reverse("customers:list"))
    assert page.content.decode().count('data-testid="new-customer-badge"') == 1
    filtered = client.get(reverse("customers:list") + "?new_customer=true")
    rows = [a.customer.name for a in filtered.context["page_obj"]]
    assert rows == ["新客户有限公司"]
    others = client.get(reverse("customers:list") + "?new_customer=false")
    assert [a.customer.name for a in others.context["page_obj"]] == ["老客户有限公司"]
    detail = client.get(reverse("customers:detail", args=[new_assoc.pk]))
    assert 'data-testid="new-customer-badge"' in detail.content.decode()

    api = api_client(owner)
    body = api.get("/api/v1/customers/associations/", {"new_customer": "true"}).json()
    assert [row["customer"]["name"] for row in body["results"]] == ["新客户有限公司"]
    assert body["results"][0]["new_customer"] is True
    assert body["results"][0]["new_customer_at"]


# ---------------------------------------------------------------- new-customer digest


@pytest.fixture
def labelled_yesterday(owner, admin_user, agreement):
    customer = make_customer(name="星海科技有限公司", account_name="xinghai01")
    referral(owner, customer, DAY - timedelta(days=3))
    with time_machine.travel(DAY, tick=False):
        run_import(admin_user, order("D1", customer, DAY - timedelta(hours=1)))
    return customer


def _digests(user, topic):
    return Notification.objects.filter(recipient=user, kind=f"topic.{topic}")


def test_new_customer_digest_is_sent_once_the_next_day(owner, teammate, labelled_yesterday):
    notification_services.subscribe(actor=owner, topic=Topic.NEW_CUSTOMER_LABEL)
    with time_machine.travel(DAY + timedelta(hours=5), tick=False):
        assert send_daily_digests() == 0  # the day is not over
    with time_machine.travel(NEXT_MORNING, tick=False):
        assert send_daily_digests() == 1
        assert send_daily_digests() == 0  # run twice: once
    with time_machine.travel(NEXT_MORNING + timedelta(hours=3), tick=False):
        assert send_daily_digests() == 0
    notes = list(_digests(owner, Topic.NEW_CUSTOMER_LABEL))
    assert len(notes) == 1
    note = notes[0]
    assert note.title_in("en") == "New-customer label: 1 customers on Nov. 10, 2026"
    assert "星海科技有限公司 (xinghai01): first paid order" in note.body_in("en")
    assert "星海科技有限公司" in note.body_in("zh-hans") and "首笔付费订单" in note.body_in(
        "zh-hans"
    )
    assert note.link == reverse("customers:list") + "?new_customer=true"
    assert not _digests(teammate, Topic.NEW_CUSTOMER_LABEL).exists()  # not subscribed
    assert Digest.objects.get().items == 1
    # The next day has nothing: no digest.
    with time_machine.travel(NEXT_MORNING + timedelta(days=1), tick=False):
        assert send_daily_digests() == 0
    assert _digests(owner, Topic.NEW_CUSTOMER_LABEL).count() == 1


def test_a_digest_missed_one_morning_is_sent_later_but_never_twice(owner, labelled_yesterday):
    notification_services.subscribe(actor=owner, topic=Topic.NEW_CUSTOMER_LABEL)
    with time_machine.travel(NEXT_MORNING + timedelta(days=1), tick=False):  # beat was down
        assert send_daily_digests() == 1
        assert send_daily_digests() == 0
    assert Digest.objects.get().day == DAY.date()


def test_a_worker_dying_while_sending_loses_nothing_and_sends_once(owner, labelled_yesterday):
    notification_services.subscribe(actor=owner, topic=Topic.NEW_CUSTOMER_LABEL)
    with time_machine.travel(NEXT_MORNING, tick=False):
        with (
            mock.patch(
                "partner_center.notifications.digests.notify", side_effect=RuntimeError("died")
            ),
            pytest.raises(RuntimeError),
        ):
            send_daily_digests()
        assert not Digest.objects.exists()  # rolled back with the notification
        assert send_daily_digests() == 1
        assert send_daily_digests() == 0
    assert _digests(owner, Topic.NEW_CUSTOMER_LABEL).count() == 1


def test_one_digest_per_partner_not_per_customer(owner, admin_user, agreement):
    notification_services.subscribe(actor=owner, topic=Topic.NEW_CUSTOMER_LABEL)
    customers = [make_customer() for _ in range(3)]
    for c in customers:
        referral(owner, c, DAY - timedelta(days=1))
    with time_machine.travel(DAY, tick=False):
        run_import(admin_user, *(order(f"M{i}", c, DAY) for i, c in enumerate(customers)))
    with time_machine.travel(NEXT_MORNING, tick=False):
        assert send_daily_digests() == 1
    note = _digests(owner, Topic.NEW_CUSTOMER_LABEL).get()
    assert note.title_in("en").startswith("New-customer label: 3 customers")
    assert note.body_in("en").count("first paid order") == 3


# ---------------------------------------------------------------- reseller information


@pytest.fixture
def dist_admin(distributor_admin):
    notification_services.subscribe(actor=distributor_admin, topic=Topic.RESELLER_INFO)
    return distributor_admin


def test_reseller_digest_reports_the_days_changes(
    dist_admin, distributor, reseller, reseller_admin, other_reseller, admin_user, bd, agreement
):
    # Before the day: funds and quota well above the threshold.
    with time_machine.travel(DAY - timedelta(days=2), tick=False):
        services.reseller_fund(actor=dist_admin, reseller=reseller, amount=Decimal("5000"))
        services.reseller_grant_quota(actor=dist_admin, reseller=reseller, amount=Decimal("800"))
        application = programs.pce_apply(actor=reseller_admin, partner=reseller, accept_rules=True)
    with time_machine.travel(DAY, tick=False):
        # Funds fall below the ¥1,000 default; quota was below it already (not reported).
        services.reseller_reclaim(actor=dist_admin, reseller=reseller, amount=Decimal("4500"))
        services.reseller_reduce_quota(actor=dist_admin, reseller=reseller, amount=Decimal("100"))
        programs.pce_approve(actor=bd, application=application)
        newcomer = partner_services.partner_create(
            actor=admin_user,
            name="新加入经销有限公司",
            credit_code=next_credit_code(),
            contact_email="new@resc.test",
            types=[PartnerType.RESELLER],
            parent_distributor=distributor,
        )
        partner_services.partner_exit_type(
            actor=admin_user, partner=other_reseller, partner_type=PartnerType.RESELLER
        )
        for n in range(2):
            associate(reseller_admin, make_customer(name=f"经销客户{n}有限公司"))
    with time_machine.travel(NEXT_MORNING, tick=False):
        assert send_daily_digests() == 1
        assert send_daily_digests() == 0
    note = _digests(dist_admin, Topic.RESELLER_INFO).get()
    body = note.body_in("en")
    assert f"{newcomer.name} joined you as a tier-2 reseller" in body
    assert "二级经销B有限公司 is no longer your tier-2 reseller" in body
    assert "二级经销A有限公司: funds left 500.00, below 1,000.00" in body
    assert "voucher quota" not in body
    assert "二级经销A有限公司: PCE application is now Member" in body
    assert "二级经销A有限公司: 2 new associated customers" in body
    assert "经销客户" not in body  # rule M6: no customer of the reseller is named
    assert note.title_in("en") == "Reseller information of Nov. 10, 2026: 5 changes"
    assert "加入" in note.body_in("zh-hans")
    assert note.link == reverse("customers:resellers")


def test_reseller_digest_uses_the_distributors_threshold_and_skips_empty_days(
    dist_admin, distributor, reseller
):
    TopicSettings.objects.create(partner=distributor, reseller_low_balance=Decimal("200"))
    with time_machine.travel(DAY - timedelta(days=2), tick=False):
        services.reseller_fund(actor=dist_admin, reseller=reseller, amount=Decimal("5000"))
    with time_machine.travel(DAY, tick=False):
        services.reseller_reclaim(actor=dist_admin, reseller=reseller, amount=Decimal("4500"))
    assert reseller_lines(distributor.pk, DAY.date()) == []  # 500 is above 200
    with time_machine.travel(NEXT_MORNING, tick=False):
        assert send_daily_digests() == 0
    assert not Notification.objects.filter(kind="topic.reseller_info").exists()
    assert not Digest.objects.exists()


def test_reseller_info_is_never_sent_to_a_partner_that_is_not_a_distributor(
    owner, reseller, agreement
):
    # A subscription row left over after the partner stopped being a distributor.
    from partner_center.notifications.models import Subscription

    Subscription.objects.create(partner=owner.partner, user=owner, topic=Topic.RESELLER_INFO)
    with time_machine.travel(DAY, tick=False):
        associate(partner_user(reseller, Role.PARTNER_ADMIN), make_customer())
    with time_machine.travel(NEXT_MORNING, tick=False):
        assert send_daily_digests() == 0


# ---------------------------------------------------------------- the threshold setting


def test_distributor_admin_sets_the_threshold_on_the_subscription_page(
    dist_admin, distributor, login
):
    client = login(dist_admin)
    page = client.get(reverse("notifications:subscriptions"))
    assert 'data-testid="threshold-form"' in page.content.decode()
    response = client.post(
        reverse("notifications:subscriptions"), {"reseller_low_balance": "2500.50"}
    )
    assert response.status_code == 302
    assert TopicSettings.objects.get(partner=distributor).reseller_low_balance == Decimal("2500.50")
    bad = client.post(reverse("notifications:subscriptions"), {"reseller_low_balance": "-1"})
    assert bad.status_code == 200
    assert bad.context["threshold_form"].errors


def test_members_and_other_partners_cannot_set_the_threshold(distributor, owner, login):
    member = partner_user(distributor, Role.PARTNER_MEMBER, email="m@dist.test")
    page = login(member).get(reverse("notifications:subscriptions"))
    assert 'data-testid="threshold-form"' not in page.content.decode()
    assert 'data-testid="threshold-shown"' in page.content.decode()
    assert (
        login(member)
        .post(reverse("notifications:subscriptions"), {"reseller_low_balance": "1"})
        .status_code
        == 403
    )
    assert (
        login(owner)
        .post(reverse("notifications:subscriptions"), {"reseller_low_balance": "1"})
        .status_code
        == 403
    )
    assert not TopicSettings.objects.exists()


def test_existing_labels_survive_unrelated_imports(owner, admin_user, agreement):
    customer = make_customer()
    association = referral(owner, customer, DAY - timedelta(days=5))
    with time_machine.travel(DAY, tick=False):
        run_import(admin_user, order("K1", customer, DAY - timedelta(hours=3)))
    with time_machine.travel(DAY + timedelta(days=3), tick=False):
        run_import(admin_user, order("K2", customer, DAY + timedelta(days=2)))
    association.refresh_from_db()
    assert association.new_customer_labelled_at == DAY  # not moved by the later order
    assert Association.objects.filter(new_customer_at__isnull=False).count() == 1
    assert ImportRun.objects.count() == 2


def test_hosted_customer_orders_label_too(owner, admin_user, agreement):
    customer = make_customer()
    with time_machine.travel(DAY - timedelta(days=2), tick=False):
        association = associate(owner, customer)
        open_account(association, owner, amount="5000")
    with time_machine.travel(DAY, tick=False):
        run_import(admin_user, order("H1", customer, DAY - timedelta(hours=1)))
    association.refresh_from_db()
    assert association.is_new_customer


def test_days_are_cut_at_midnight_china_time(owner, admin_user, agreement):
    notification_services.subscribe(actor=owner, topic=Topic.NEW_CUSTOMER_LABEL)
    late, early = make_customer(name="深夜客户有限公司"), make_customer(name="清晨客户有限公司")
    referral(owner, late, DAY - timedelta(days=1))
    referral(owner, early, DAY - timedelta(days=1))
    last_minute = DAY.replace(hour=23, minute=50)  # 15:50 UTC, still DAY in Beijing
    with time_machine.travel(last_minute, tick=False):
        run_import(admin_user, order("L1", late, last_minute))
    with time_machine.travel(last_minute + timedelta(minutes=20), tick=False):  # the next day
        run_import(admin_user, order("E1", early, last_minute + timedelta(minutes=15)))
    with time_machine.travel(NEXT_MORNING, tick=False):
        assert send_daily_digests() == 1
    with time_machine.travel(NEXT_MORNING + timedelta(days=1), tick=False):
        assert send_daily_digests() == 1
    first, second = Notification.objects.filter(kind="topic.new_customer_label").order_by("pk")
    assert "深夜客户有限公司" in first.body_in("en") and "清晨" not in first.body_in("en")
    assert "清晨客户有限公司" in second.body_in("en")


def test_the_digest_task_is_scheduled_every_morning():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["customers-daily-digests"]
    assert entry["task"] == "customers.tasks.send_daily_digests"
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
    assert 7 in entry["schedule"].hour and 3 not in entry["schedule"].hour


def test_voucher_quota_falling_below_the_threshold_is_reported_once(
    dist_admin, distributor, reseller
):
    with time_machine.travel(DAY - timedelta(days=2), tick=False):
        services.reseller_grant_quota(actor=dist_admin, reseller=reseller, amount=Decimal("2000"))
    with time_machine.travel(DAY, tick=False):
        services.reseller_reduce_quota(actor=dist_admin, reseller=reseller, amount=Decimal("1500"))
    with time_machine.travel(DAY + timedelta(days=1), tick=False):  # still low, moved again
        services.reseller_reduce_quota(actor=dist_admin, reseller=reseller, amount=Decimal("100"))
    lines = [line.render("en") for line in reseller_lines(distributor.pk, DAY.date())]
    assert lines == ["二级经销A有限公司: voucher quota left 500.00, below 1,000.00"]
    assert reseller_lines(distributor.pk, DAY.date() + timedelta(days=1)) == []
