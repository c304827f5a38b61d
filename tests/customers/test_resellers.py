"""Distributor -> tier-2 reseller: funds and voucher quota, over-allocation refused, each
party sees only its own."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from customers import selectors, services
from customers.imports import import_payload
from customers.models import Account, ImportRun, Voucher
from partner_center.accounts.permissions import PartnerType, Role
from partner_center.errors import DomainError
from tests.customers.conftest import associate, make_customer, open_account, post_and_confirm
from tests.factories import PartnerFactory, partner_user
from tests.helpers import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(distributor_admin, reseller):
    services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="1000.00")
    services.reseller_grant_quota(actor=distributor_admin, reseller=reseller, amount="200.00")
    return reseller


@pytest.fixture
def reseller_customer(funded, reseller_admin, agreement):
    return associate(reseller_admin, make_customer(name="经销客户有限公司"))


def funds_of(partner):
    return Account.objects.get(partner=partner, kind=Account.Kind.RESELLER_FUNDS).balance


def _issue(actor, association, face_value: str, days: int):
    """A voucher of `face_value` valid for `days` from now (expired when negative)."""
    return services.voucher_issue(
        actor=actor,
        association=association,
        face_value=face_value,
        valid_until=timezone.now() + timedelta(days=days),
    )


def _issue_on_the_page(client, association, face_value: str, **extra):
    """The voucher form posted and confirmed: a voucher valid for 10 days."""
    return post_and_confirm(
        client,
        reverse("customers:vouchers"),
        {
            "association": association.pk,
            "face_value": face_value,
            "valid_until": (timezone.localdate() + timedelta(days=10)).isoformat(),
        },
        **extra,
    )


def test_reseller_funds_customers_only_from_its_allocation(
    reseller_admin, reseller_customer, reseller
):
    account = open_account(reseller_customer, reseller_admin, amount="600.00")
    assert funds_of(reseller) == Decimal("400.00")
    with pytest.raises(DomainError, match="balance is too low"):
        services.account_fund(actor=reseller_admin, account=account, amount="400.01")
    services.account_reclaim(actor=reseller_admin, account=account, amount="100.00")
    assert funds_of(reseller) == Decimal("500.00")


def test_reseller_without_allocation_cannot_fund(other_reseller_admin, agreement):
    association = associate(other_reseller_admin, make_customer())
    with pytest.raises(DomainError, match="not allocated funds"):
        services.account_fund(
            actor=other_reseller_admin,
            account=Account.objects.get(association=association),
            amount="1",
        )


def test_distributor_takes_back_only_unallocated_funds(
    distributor_admin, reseller_admin, reseller_customer, reseller
):
    open_account(reseller_customer, reseller_admin, amount="900.00")
    with pytest.raises(DomainError, match="balance is too low"):
        services.reseller_reclaim(actor=distributor_admin, reseller=reseller, amount="100.01")
    services.reseller_reclaim(actor=distributor_admin, reseller=reseller, amount="100.00")
    assert funds_of(reseller) == 0


def test_vouchers_within_quota(reseller_admin, reseller_customer, reseller):
    until = timezone.now() + timedelta(days=30)
    voucher = services.voucher_issue(
        actor=reseller_admin, association=reseller_customer, face_value="150", valid_until=until
    )
    with pytest.raises(DomainError, match="balance is too low"):
        services.voucher_issue(
            actor=reseller_admin,
            association=reseller_customer,
            face_value="50.01",
            valid_until=until,
        )
    assert Voucher.objects.count() == 1  # the refused one left nothing behind
    services.voucher_revoke(actor=reseller_admin, voucher=voucher)
    quota = Account.objects.get(partner=reseller, kind=Account.Kind.VOUCHER_QUOTA)
    assert quota.balance == Decimal("200.00")
    with pytest.raises(DomainError, match="revoked already"):
        services.voucher_revoke(actor=reseller_admin, voucher=voucher)


def test_voucher_needs_quota_and_a_future_date(other_reseller_admin, agreement):
    association = associate(other_reseller_admin, make_customer())
    with pytest.raises(DomainError, match="not granted you voucher quota"):
        _issue(other_reseller_admin, association, "1", days=1)
    with pytest.raises(DomainError, match="future"):
        _issue(other_reseller_admin, association, "1", days=-1)


def test_customer_spends_a_voucher_on_a_purchase(reseller_admin, reseller_customer):
    customer = reseller_customer.customer
    account = open_account(reseller_customer, reseller_admin, amount="500.00")
    voucher = _issue(reseller_admin, reseller_customer, "100", days=30)
    order = {
        "order_no": "V1",
        "customer_account": customer.account_name,
        "type": "new",
        "product": "ecs",
        "amount": "300.00",
        "formed_at": timezone.now().isoformat(),
        "voucher_code": voucher.code,
        "voucher_amount": "100.00",
        "lines": [
            {
                "resource_id": "v-ecs",
                "amount": "300.00",
                "expires_at": (timezone.now() + timedelta(days=30)).isoformat(),
            }
        ],
    }
    too_much = {**order, "order_no": "V0", "voucher_amount": "100.01"}
    result = import_payload(
        actor=None, payload={"orders": [too_much, order]}, source=ImportRun.Source.API
    )
    assert result.created == 1 and "balance is too low" in result.errors[0]["error"]
    account.refresh_from_db()
    voucher.account.refresh_from_db()
    assert account.balance == Decimal("300.00") and voucher.account.balance == 0
    assert voucher.state() == "used_up"


def test_unbinding_returns_unused_vouchers_and_balance(reseller_admin, reseller_customer, reseller):
    open_account(reseller_customer, reseller_admin, amount="300.00")
    _issue(reseller_admin, reseller_customer, "60", days=30)
    services.customer_unbind(actor=reseller_admin, association=reseller_customer)
    assert funds_of(reseller) == Decimal("1000.00")
    assert Account.objects.get(partner=reseller, kind=Account.Kind.VOUCHER_QUOTA).balance == 200


def test_distributor_figures(
    distributor_admin, reseller_admin, reseller_customer, reseller, other_reseller
):
    open_account(reseller_customer, reseller_admin, amount="250.00")
    _issue(reseller_admin, reseller_customer, "20", days=3)
    rows = {r.pk: r for r in selectors.resellers_for(distributor_admin)}
    assert set(rows) == {reseller.pk, other_reseller.pk}
    row = rows[reseller.pk]
    assert (row.funds_received, row.funds_to_customers, row.funds_balance) == (1000, 250, 750)
    assert (row.quota_granted, row.quota_issued, row.quota_balance) == (200, 20, 180)
    assert row.customer_count == 1
    assert rows[other_reseller.pk].funds_balance == 0


def test_only_the_own_distributor_funds_a_reseller(reseller):
    stranger = PartnerFactory(types=[PartnerType.DISTRIBUTOR])
    with pytest.raises(DomainError, match="not one of your"):
        services.reseller_fund(actor=partner_user(stranger), reseller=reseller, amount="1")


class TestPages:
    def test_distributor_funds_and_grants_quota_in_the_page(
        self, login, distributor_admin, reseller
    ):
        client = login(distributor_admin)
        url = reverse("customers:reseller_detail", args=[reseller.pk])
        fund = {"action": "fund", "fund-amount": "500.00"}
        assert post_and_confirm(client, url, fund).status_code == 302
        grant = {"action": "grant_quota", "grant_quota-amount": "80"}
        assert post_and_confirm(client, url, grant).status_code == 302
        response = post_and_confirm(
            client, url, {"action": "reclaim", "reclaim-amount": "900"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 200 and "balance is too low" in response.content.decode()
        page = client.get(reverse("customers:resellers")).content.decode()
        assert "¥500.00" in page and "¥80.00" in page

    def test_distributor_member_without_grant_sees_but_cannot_fund(
        self, login, distributor, reseller
    ):
        member = partner_user(distributor, Role.PARTNER_MEMBER)
        client = login(member)
        url = reverse("customers:reseller_detail", args=[reseller.pk])
        assert client.get(url).status_code == 200
        assert client.post(url, {"action": "fund", "fund-amount": "5"}).status_code == 403

    def test_distributor_sees_only_its_resellers(self, login, reseller):
        other_distributor = PartnerFactory(types=[PartnerType.DISTRIBUTOR])
        foreign = PartnerFactory(types=[PartnerType.RESELLER], parent_distributor=other_distributor)
        client = login(partner_user(other_distributor))
        page = client.get(reverse("customers:resellers")).content.decode()
        assert (
            f'data-reseller="{foreign.pk}"' in page and f'data-reseller="{reseller.pk}"' not in page
        )
        assert (
            client.get(reverse("customers:reseller_detail", args=[reseller.pk])).status_code == 404
        )
        assert (
            client.post(
                reverse("customers:reseller_detail", args=[reseller.pk]),
                {"action": "fund", "fund-amount": "5"},
            ).status_code
            == 404
        )

    def test_reseller_never_sees_another_resellers_customers(
        self, login, reseller_customer, other_reseller_admin
    ):
        client = login(other_reseller_admin)
        page = client.get(reverse("customers:list")).content.decode()
        assert reseller_customer.customer.account_name not in page
        assert (
            client.get(reverse("customers:detail", args=[reseller_customer.pk])).status_code == 404
        )
        assert client.get(reverse("customers:resellers")).status_code == 403

    def test_reseller_funds_page_and_vouchers(self, login, reseller_admin, reseller_customer):
        client = login(reseller_admin)
        page = client.get(reverse("customers:funds")).content.decode()
        assert "¥1,000.00" in page and "¥200.00" in page
        response = _issue_on_the_page(client, reseller_customer, "50.00")
        assert response.status_code == 302
        response = _issue_on_the_page(
            client, reseller_customer, "500.00", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 200
        assert "balance is too low" in response.context["form"].errors["face_value"][0]
        voucher = Voucher.objects.get()
        customer_page = login(reseller_customer.customer.user).get(reverse("customers:my_vouchers"))
        assert voucher.code in customer_page.content.decode()

    def test_outsiders_on_voucher_pages(
        self, login, reseller_admin, other_reseller_admin, reseller_customer, outsider
    ):
        voucher = _issue(reseller_admin, reseller_customer, "10", days=3)
        client = login(other_reseller_admin)
        assert voucher.code not in client.get(reverse("customers:vouchers")).content.decode()
        assert (
            client.post(reverse("customers:voucher_revoke", args=[voucher.pk])).status_code == 404
        )
        assert login(outsider).get(reverse("customers:vouchers")).status_code == 403
        assert login(outsider).get(reverse("customers:funds")).status_code == 403
        other_customer = make_customer()
        assert (
            voucher.code
            not in login(other_customer.user).get(reverse("customers:my_vouchers")).content.decode()
        )


class TestApi:
    def test_distributor_api(self, distributor_admin, reseller, other_reseller_admin):
        api = api_client(distributor_admin)
        body = api.post(
            f"/api/v1/customers/resellers/{reseller.pk}/fund/", {"amount": "70.00", "confirm": True}
        ).json()
        assert body["funds_balance"] == "70.00"
        body = api.post(
            f"/api/v1/customers/resellers/{reseller.pk}/grant-quota/",
            {"amount": "9.00", "confirm": True},
        ).json()
        assert body["quota_balance"] == "9.00"
        refused = api.post(
            f"/api/v1/customers/resellers/{reseller.pk}/reduce-quota/",
            {"amount": "10.00", "confirm": True},
        )
        assert refused.status_code == 400
        assert (
            len(api.get(f"/api/v1/customers/resellers/{reseller.pk}/ledger/").json()["results"])
            == 2
        )
        api.force_authenticate(other_reseller_admin)
        assert api.get("/api/v1/customers/resellers/").status_code == 403
        stranger = partner_user(PartnerFactory(types=[PartnerType.DISTRIBUTOR]))
        api.force_authenticate(stranger)
        assert api.get(f"/api/v1/customers/resellers/{reseller.pk}/").status_code == 404
        assert (
            api.post(
                f"/api/v1/customers/resellers/{reseller.pk}/fund/", {"amount": "1"}
            ).status_code
            == 404
        )

    def test_voucher_api(self, reseller_admin, other_reseller_admin, reseller_customer):
        api = api_client(reseller_admin)
        until = (timezone.now() + timedelta(days=5)).isoformat()
        body = api.post(
            "/api/v1/customers/vouchers/",
            {
                "association": reseller_customer.pk,
                "face_value": "30.00",
                "valid_until": until,
                "confirm": True,
            },
        ).json()
        assert body["remaining"] == "30.00" and body["state"] == "active"
        over = api.post(
            "/api/v1/customers/vouchers/",
            {
                "association": reseller_customer.pk,
                "face_value": "171.00",
                "valid_until": until,
                "confirm": True,
            },
        )
        assert over.status_code == 400 and "face_value" in over.json()["fields"]
        api.force_authenticate(other_reseller_admin)
        assert api.get(f"/api/v1/customers/vouchers/{body['id']}/").status_code == 404
        foreign = api.post(
            "/api/v1/customers/vouchers/",
            {
                "association": reseller_customer.pk,
                "face_value": "1.00",
                "valid_until": until,
                "confirm": True,
            },
        )
        assert foreign.status_code == 400
        customer_api = api_client(reseller_customer.customer.user)
        mine = customer_api.get("/api/v1/customers/me/vouchers/").json()["results"]
        assert [v["code"] for v in mine] == [body["code"]]
