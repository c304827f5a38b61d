"""Yearly/monthly resources: renew (paid from the hosted account, refused with the reason),
auto-renew (set/cancel, the idempotent task), expiring soon."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from customers import services
from customers.models import SHANGHAI, Account, BillingModel, Order, Resource
from customers.tasks import auto_renew_resources
from partner_center.errors import DomainError
from partner_center.notifications.models import Notification
from tests.customers.conftest import associate, make_customer, make_resource
from tests.helpers import api_client

pytestmark = pytest.mark.django_db


def test_renew_debits_the_account_and_extends_the_expiry(owner, association, account):
    resource = make_resource(association)
    before = timezone.localtime(resource.expires_at, SHANGHAI)
    order = services.resource_renew(actor=owner, resource=resource, periods=2)
    resource.refresh_from_db()
    account.refresh_from_db()
    assert account.balance == Decimal("400.00")
    assert order.order_type == Order.Type.RENEWAL and order.amount == Decimal("600.00")
    assert order.partner == owner.partner and order.attributed_to == "hosted_sub_account"
    assert order.lines.get().periods == 2
    after = timezone.localtime(resource.expires_at, SHANGHAI)
    assert (after.year * 12 + after.month) - (before.year * 12 + before.month) == 2
    assert account.entries.filter(
        entry_type="renewal", order=order, amount=Decimal("-600.00")
    ).exists()


def test_month_end_renewal_keeps_to_the_last_day():
    jan31 = datetime(2026, 1, 31, 10, tzinfo=SHANGHAI)
    assert services.add_periods(jan31, "month", 1).date().isoformat() == "2026-02-28"
    assert services.add_periods(jan31, "year", 1).date().isoformat() == "2027-01-31"


def test_renewal_is_refused_when_the_balance_is_too_low(owner, association, account):
    resource = make_resource(association, price="600.00")
    with pytest.raises(
        DomainError, match=r"balance is too low: ¥1,000.00 available, ¥1,200.00 needed"
    ):
        services.resource_renew(actor=owner, resource=resource, periods=2)
    account.refresh_from_db()
    assert account.balance == Decimal("1000.00")
    assert not Order.objects.exists()  # nothing half-done
    resource.refresh_from_db()
    assert resource.expires_at > timezone.now()


def test_renewal_is_refused_over_the_monthly_budget(owner, association, account):
    services.account_set_budget(actor=owner, account=account, monthly_budget="500")
    resource = make_resource(association)
    services.resource_renew(actor=owner, resource=resource)
    with pytest.raises(DomainError, match="monthly budget"):
        services.resource_renew(actor=owner, resource=resource)


def test_referral_customer_renews_on_the_vendors_site(owner, agreement):
    association = associate(owner, make_customer(), BillingModel.REFERRAL)
    resource = make_resource(association)
    with pytest.raises(DomainError, match="own main account"):
        services.resource_renew(actor=owner, resource=resource)
    with pytest.raises(DomainError, match="own main account"):
        services.resource_set_auto_renew(actor=owner, resource=resource, enabled=True)


def test_voucher_pays_first(reseller_admin, distributor_admin, reseller, agreement):
    services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="1000")
    services.reseller_grant_quota(actor=distributor_admin, reseller=reseller, amount="100")
    association = associate(reseller_admin, make_customer())
    account = Account.objects.get(association=association)
    services.account_set_budget(actor=reseller_admin, account=account, monthly_budget="1000")
    services.account_fund(actor=reseller_admin, account=account, amount="500")
    voucher = services.voucher_issue(
        actor=reseller_admin,
        association=association,
        face_value="80",
        valid_until=timezone.now() + timedelta(days=3),
    )
    order = services.resource_renew(
        actor=reseller_admin, resource=make_resource(association), voucher=voucher
    )
    assert (order.amount, order.voucher_amount, order.voucher) == (
        Decimal("300.00"),
        Decimal("80.00"),
        voucher,
    )
    account.refresh_from_db()
    voucher.account.refresh_from_db()
    assert account.balance == Decimal("280.00") and voucher.account.balance == 0


class TestAutoRenew:
    def test_due_resources_are_renewed_once_even_when_the_task_runs_twice(
        self, owner, association, account
    ):
        due = make_resource(association, "due", expires_in=timedelta(days=2), auto_renew=True)
        later = make_resource(association, "later", expires_in=timedelta(days=9), auto_renew=True)
        off = make_resource(association, "off", expires_in=timedelta(days=1))
        first = services.auto_renew_due()
        second = services.auto_renew_due()
        assert first.renewed == ["due"] and second.renewed == [] and second.failed == {}
        assert Order.objects.filter(source=Order.Source.AUTO_RENEW).count() == 1
        order = Order.objects.get(source=Order.Source.AUTO_RENEW)
        assert order.order_no.startswith(f"AR-{due.pk}-")
        account.refresh_from_db()
        assert account.balance == Decimal("700.00")
        for r in (later, off):
            r.refresh_from_db()
            assert r.expires_at < timezone.now() + timedelta(days=10)

    def test_late_run_still_renews_and_a_second_period_waits(self, owner, association, account):
        resource = make_resource(association, expires_in=timedelta(days=2), auto_renew=True)
        with time_machine.travel(timezone.now() + timedelta(days=5)):  # the task was down
            assert services.auto_renew_due().renewed == [resource.resource_id]
            assert services.auto_renew_due().renewed == []

    def test_failure_is_reported_once_and_retried(self, owner, association, account):
        resource = make_resource(
            association, price="2000.00", expires_in=timedelta(days=1), auto_renew=True
        )
        first = services.auto_renew_due()
        assert "balance is too low" in first.failed[resource.resource_id]
        services.auto_renew_due()
        assert Notification.objects.filter(kind="customers.auto_renew_failed").count() == 1
        resource.refresh_from_db()
        assert "balance is too low" in resource.last_auto_renew_error
        services.account_fund(actor=owner, account=account, amount="1500")
        assert services.auto_renew_due().renewed == [resource.resource_id]
        resource.refresh_from_db()
        assert resource.last_auto_renew_error == ""

    def test_task_body_calls_the_service(self, owner, association, account):
        make_resource(association, expires_in=timedelta(days=1), auto_renew=True)
        assert auto_renew_resources.apply().get() == {"renewed": 1, "failed": 0}

    def test_schedule_is_declared(self):
        tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
        assert {
            "customers.tasks.auto_renew_resources",
            "customers.tasks.mark_expired_resources",
        } <= tasks

    def test_expired_sweep_is_set_based_and_idempotent(self, association):
        make_resource(association, "old", expires_in=timedelta(days=-1))
        make_resource(association, "new", expires_in=timedelta(days=1))
        assert services.resources_mark_expired() == 1
        assert services.resources_mark_expired() == 0
        assert Resource.objects.get(resource_id="old").status == Resource.Status.EXPIRED


class TestPages:
    def test_expiring_soon_filter(self, login, owner, association):
        make_resource(association, "soon", expires_in=timedelta(days=5))
        make_resource(association, "far", expires_in=timedelta(days=200))
        page = (
            login(owner).get(reverse("customers:resources"), {"expiring": "true"}).content.decode()
        )
        assert 'data-resource="soon"' in page and 'data-resource="far"' not in page

    def test_yes_no_filters_offer_all_yes_and_no(self, login, owner, association):
        make_resource(association, "auto", auto_renew=True)
        make_resource(association, "manual", auto_renew=False)
        client = login(owner)
        page = client.get(reverse("customers:resources"), HTTP_ACCEPT_LANGUAGE="en").content
        page = page.decode()
        assert "Unknown" not in page
        assert '<option value="" selected>All</option>' in page
        assert '<option value="false">No</option>' in page
        only_manual = client.get(reverse("customers:resources"), {"auto_renew": "false"})
        html = only_manual.content.decode()
        assert 'data-resource="manual"' in html and 'data-resource="auto"' not in html
        assert '<option value="false" selected>' in html

    def test_renew_page_shows_the_reason(self, login, owner, association, account):
        resource = make_resource(association, price="5000.00")
        response = login(owner).post(
            reverse("customers:renew", args=[resource.pk]),
            {"periods": "1"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200
        assert "balance is too low" in response.content.decode()
        response = login(owner).post(
            reverse("customers:renew", args=[make_resource(association, "cheap", price="10").pk]),
            {"periods": "3"},
        )
        assert response.status_code == 302

    def test_auto_renew_toggle(self, login, owner, association):
        resource = make_resource(association)
        client = login(owner)
        client.post(reverse("customers:auto_renew", args=[resource.pk]), {"enabled": "1"})
        resource.refresh_from_db()
        assert resource.auto_renew
        client.post(reverse("customers:auto_renew", args=[resource.pk]), {"enabled": "0"})
        resource.refresh_from_db()
        assert not resource.auto_renew

    def test_customer_sets_auto_renew_for_its_own_resource(self, login, association):
        resource = make_resource(association)
        client = login(association.customer.user)
        assert (
            'data-resource="ecs-001"'
            in client.get(reverse("customers:my_resources")).content.decode()
        )
        client.post(reverse("customers:auto_renew", args=[resource.pk]), {"enabled": "1"})
        resource.refresh_from_db()
        assert resource.auto_renew
        other = make_customer()
        assert (
            login(other.user)
            .post(reverse("customers:auto_renew", args=[resource.pk]), {"enabled": "0"})
            .status_code
            == 404
        )

    def test_outsider_gets_404(self, login, outsider, association):
        resource = make_resource(association)
        client = login(outsider)
        assert client.get(reverse("customers:renew", args=[resource.pk])).status_code == 404
        assert (
            client.post(
                reverse("customers:auto_renew", args=[resource.pk]), {"enabled": "1"}
            ).status_code
            == 404
        )
        assert (
            'data-resource="ecs-001"'
            not in client.get(reverse("customers:resources")).content.decode()
        )


class TestApi:
    def test_list_renew_auto_renew(self, owner, outsider, association, account):
        resource = make_resource(association, expires_in=timedelta(days=3))
        make_resource(association, "far", expires_in=timedelta(days=300))
        api = api_client(owner)
        ids = [
            r["resource_id"]
            for r in api.get("/api/v1/customers/resources/", {"expiring": "true"}).json()["results"]
        ]
        assert ids == ["ecs-001"]
        order = api.post(f"/api/v1/customers/resources/{resource.pk}/renew/", {"periods": 1}).json()
        assert order["order_type"] == "renewal" and order["lines"][0]["resource_id"] == "ecs-001"
        refused = api.post(
            f"/api/v1/customers/resources/{resource.pk}/renew/",
            {"periods": 12},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert refused.status_code == 400 and "balance is too low" in str(refused.json())
        body = api.post(
            f"/api/v1/customers/resources/{resource.pk}/auto-renew/", {"enabled": True}
        ).json()
        assert body["auto_renew"] is True
        api.force_authenticate(outsider)
        assert api.get(f"/api/v1/customers/resources/{resource.pk}/").status_code == 404
        assert (
            api.post(
                f"/api/v1/customers/resources/{resource.pk}/renew/", {"periods": 1}
            ).status_code
            == 404
        )

    def test_customer_endpoint(self, association):
        resource = make_resource(association)
        api = api_client(association.customer.user)
        assert [r["id"] for r in api.get("/api/v1/customers/me/resources/").json()["results"]] == [
            resource.pk
        ]
        assert api.post(
            f"/api/v1/customers/me/resources/{resource.pk}/auto-renew/", {"enabled": True}
        ).json()["auto_renew"]
        assert api.get("/api/v1/customers/resources/").status_code == 403


def test_a_resource_past_its_expiry_is_expired_not_expiring_soon(login, owner, association):
    """The hourly task may not have caught its status up yet: the page still says expired."""
    make_resource(association, "past", expires_in=timedelta(days=-3))
    make_resource(association, "soon", expires_in=timedelta(days=3))
    from customers.selectors import expiring_soon

    assert [r.resource_id for r in expiring_soon(Resource.objects.all())] == ["soon"]
    client = login(owner)
    flagged = client.get(reverse("customers:resources"), {"expiring": "true"}).content.decode()
    assert 'data-resource="soon"' in flagged and 'data-resource="past"' not in flagged
    others = client.get(reverse("customers:resources"), {"expiring": "false"}).content.decode()
    assert 'data-resource="past"' in others and 'data-resource="soon"' not in others
    page = client.get(reverse("customers:resources"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    past_row = page[page.index('data-resource="past"') :].split("</tr>")[0]
    assert "Expired" in past_row and "expiring soon" not in past_row
    soon_row = page[page.index('data-resource="soon"') :].split("</tr>")[0]
    assert "expiring soon" in soon_row


def test_the_list_shows_resources_in_use_first_the_next_to_expire_on_top(login, owner, association):
    make_resource(association, "old", expires_in=timedelta(days=-90), status="expired")
    make_resource(association, "later", expires_in=timedelta(days=40))
    make_resource(association, "recent", expires_in=timedelta(days=-5), status="expired")
    make_resource(association, "next", expires_in=timedelta(days=2))
    page = login(owner).get(reverse("customers:resources"))
    assert [r.resource_id for r in page.context["page_obj"]] == ["next", "later", "recent", "old"]
