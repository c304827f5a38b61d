"""Unbinding: in the month of unbinding, consumption before the moment is booked to the
partner-hosted sub-account, after it to the customer's own main account."""

from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from customers import selectors, services
from customers.models import (
    SHANGHAI,
    Account,
    Attribution,
    LedgerEntry,
    billing_period_of,
)
from tests.customers.conftest import associate, at, make_resource, open_account, usage
from tests.helpers import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def bound(owner, customer, agreement):
    with time_machine.travel(at(1, 9)):
        association = associate(owner, customer)
        open_account(association, owner, amount="800.00")
    return association


def test_consumption_is_split_at_the_moment_of_unbinding(owner, customer, bound):
    with time_machine.travel(at(6)):
        before = usage(customer, "U1", at(5), "100.00")
    with time_machine.travel(at(15, 12)):
        services.customer_unbind(actor=owner, association=bound, reason="客户自行付费")
    with time_machine.travel(at(21)):
        after = usage(customer, "U2", at(20), "40.00")
        late_before = usage(customer, "U3", at(15, 11), "7.00")  # reported late, still before
    with time_machine.travel(at(3, month=4)):
        april = usage(customer, "U4", at(2, month=4), "999.00")

    assert before.attributed_to == Attribution.HOSTED_SUB_ACCOUNT
    assert before.partner == owner.partner and before.account == Account.objects.get(
        association=bound
    )
    assert late_before.attributed_to == Attribution.HOSTED_SUB_ACCOUNT
    assert after.attributed_to == Attribution.MAIN_ACCOUNT and after.partner is None
    assert april.partner is None

    bound.refresh_from_db()
    rows = {row.period: row for row in selectors.consumption_summary(bound)}
    assert list(rows) == ["2026-03"]
    march = rows["2026-03"]
    assert (march.hosted, march.main, march.unbinding_month) == (
        Decimal("107.00"),
        Decimal("40.00"),
        True,
    )


def test_summary_tab_shows_both_parts(login, owner, customer, bound):
    with time_machine.travel(at(6)):
        usage(customer, "U1", at(5), "100.00")
    with time_machine.travel(at(15)):
        services.customer_unbind(actor=owner, association=bound)
    with time_machine.travel(at(21)):
        usage(customer, "U2", at(20), "40.00")
        page = (
            login(owner)
            .get(reverse("customers:detail", args=[bound.pk]) + "?tab=consumption")
            .content.decode()
        )
    row = page.split('data-period="2026-03"', 1)[1].split("</tr>", 1)[0]
    assert 'data-part="hosted">¥100.00' in row and 'data-part="main">¥40.00' in row


def test_unbinding_returns_the_balance_and_closes_the_account(owner, customer, bound):
    resource = make_resource(
        bound,
        "r1",
        "1.00",
        name="r1",
        product="ECS",
        started_at=at(1),
        expires_at=at(28),
        auto_renew=True,
    )
    with time_machine.travel(at(15)):
        services.customer_unbind(actor=owner, association=bound)
    account = Account.objects.get(association=bound)
    assert account.balance == 0 and account.closed_at is not None
    entry = account.entries.get(entry_type=LedgerEntry.Type.UNBIND_RECLAIM)
    assert entry.amount == Decimal("-800.00") and entry.balance_after == 0
    resource.refresh_from_db()
    assert resource.partner is None and resource.association is None
    with pytest.raises(services.DomainError, match="closed"):
        services.account_fund(actor=owner, account=account, amount="1")
    with pytest.raises(services.DomainError, match="not associated any more"):
        services.customer_unbind(actor=owner, association=bound)


def test_customer_can_join_another_partner_after_unbinding(owner, outsider, customer, bound):
    services.customer_unbind(actor=owner, association=bound)
    again = associate(outsider, customer)
    assert again.partner == outsider.partner


def test_billing_period_is_the_shanghai_month():
    assert billing_period_of(datetime(2026, 3, 31, 23, 30, tzinfo=SHANGHAI)) == "2026-03"
    assert billing_period_of(datetime(2026, 4, 1, 0, 30, tzinfo=SHANGHAI)) == "2026-04"


class TestPages:
    def test_more_menu_leads_to_a_confirmation(self, login, owner, bound):
        client = login(owner)
        page = client.get(reverse("customers:list")).content.decode()
        assert reverse("customers:unbind", args=[bound.pk]) in page
        response = client.post(reverse("customers:unbind", args=[bound.pk]), {"reason": "x"})
        assert response.status_code == 200 and "confirm" in response.context["form"].errors
        bound.refresh_from_db()
        assert bound.is_active
        response = client.post(
            reverse("customers:unbind", args=[bound.pk]), {"reason": "x", "confirm": "on"}
        )
        assert response.status_code == 302
        bound.refresh_from_db()
        assert not bound.is_active and bound.unbound_by == owner

    def test_member_may_not_unbind_and_outsider_gets_404(self, login, teammate, outsider, bound):
        assert login(teammate).get(reverse("customers:unbind", args=[bound.pk])).status_code == 403
        assert login(outsider).get(reverse("customers:unbind", args=[bound.pk])).status_code == 404
        assert (
            login(outsider)
            .post(reverse("customers:unbind", args=[bound.pk]), {"confirm": "on"})
            .status_code
            == 404
        )
        bound.refresh_from_db()
        assert bound.is_active


class TestApi:
    def test_unbind_and_summary(self, owner, outsider, customer, bound):
        api = api_client(outsider)
        assert api.post(f"/api/v1/customers/associations/{bound.pk}/unbind/").status_code == 404
        api.force_authenticate(owner)
        with time_machine.travel(at(6)):
            usage(customer, "U1", at(5), "100.00")
        with time_machine.travel(at(15)):
            body = api.post(
                f"/api/v1/customers/associations/{bound.pk}/unbind/", {"reason": "r"}
            ).json()
        assert body["state"] == "unbound" and body["account"]["closed"] is True
        with time_machine.travel(at(21)):
            usage(customer, "U2", at(20), "40.00")
        rows = api.get(f"/api/v1/customers/associations/{bound.pk}/consumption-summary/").json()
        assert rows == [
            {
                "period": "2026-03",
                "hosted_sub_account": "100.00",
                "main_account": "40.00",
                "total": "140.00",
                "unbinding_month": True,
            }
        ]
