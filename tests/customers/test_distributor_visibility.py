"""What a distributor sees of its resellers [our rule]: per reseller the totals (received,
passed on, left, voucher quota used) and its performance; never the reseller's customers'
names, amounts per customer, voucher codes, staff names or free-text reasons."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from customers import services
from customers.models import Account
from tests.customers.conftest import associate, make_customer
from tests.factories import partner_user
from tests.helpers import api_client

pytestmark = pytest.mark.django_db

SECRET_REASON = "给老王的私下返点"


@pytest.fixture
def busy_reseller(distributor_admin, reseller, reseller_admin, agreement):
    reseller_admin.full_name = "经销员工张三"
    reseller_admin.save(update_fields=["full_name"])
    services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="1000.00")
    services.reseller_grant_quota(actor=distributor_admin, reseller=reseller, amount="200.00")
    association = associate(reseller_admin, make_customer(name="机密客户甲有限公司"))
    account = Account.objects.get(association=association)
    services.account_set_budget(actor=reseller_admin, account=account, monthly_budget="9999")
    services.account_fund(
        actor=reseller_admin, account=account, amount="345.67", reason=SECRET_REASON
    )
    voucher = services.voucher_issue(
        actor=reseller_admin,
        association=association,
        face_value="12.34",
        valid_until=timezone.now() + timedelta(days=9),
    )
    # A second customer, so that totals differ from any one customer's amount.
    other = associate(reseller_admin, make_customer(name="客户乙"))
    other_account = Account.objects.get(association=other)
    services.account_set_budget(actor=reseller_admin, account=other_account, monthly_budget="1")
    services.account_fund(actor=reseller_admin, account=other_account, amount="100.00")
    services.voucher_issue(
        actor=reseller_admin,
        association=other,
        face_value="1.00",
        valid_until=timezone.now() + timedelta(days=9),
    )
    return reseller, voucher


def _assert_private(text: str, voucher) -> None:
    for secret in ("机密客户甲有限公司", voucher.code, "经销员工张三", "admin@resa.test"):
        assert secret not in text, secret
    assert SECRET_REASON not in text
    assert "345.67" not in text and "12.34" not in text  # amounts per customer / voucher


def test_distributor_page_shows_totals_not_the_resellers_private_lines(
    login, distributor_admin, busy_reseller
):
    reseller, voucher = busy_reseller
    page = login(distributor_admin).get(reverse("customers:reseller_detail", args=[reseller.pk]))
    text = page.content.decode()
    _assert_private(text, voucher)
    figures = page.context["reseller"]
    assert figures.funds_received == Decimal("1000.00")
    assert figures.funds_to_customers == Decimal("445.67")  # the total passed on is shown
    assert figures.funds_balance == Decimal("554.33")
    assert figures.quota_issued == Decimal("13.34")
    assert "¥445.67" in text and "¥554.33" in text and 'data-testid="reseller-performance"' in text
    lines = list(page.context["entries"])
    assert {e.entry_type for e in lines} == {"distributor_fund", "quota_grant"}


def test_distributor_api_ledger_has_only_its_own_movements(distributor_admin, busy_reseller):
    reseller, voucher = busy_reseller
    api = api_client(distributor_admin)
    ledger = api.get(f"/api/v1/customers/resellers/{reseller.pk}/ledger/")
    assert ledger.status_code == 200
    _assert_private(ledger.content.decode(), voucher)
    assert {e["entry_type"] for e in ledger.json()["results"]} == {
        "distributor_fund",
        "quota_grant",
    }
    detail = api.get(f"/api/v1/customers/resellers/{reseller.pk}/").json()
    assert detail["funds_to_customers"] == "445.67" and detail["quota_issued"] == "13.34"
    listing = api.get("/api/v1/customers/resellers/").content.decode()
    _assert_private(listing, voucher)


def test_the_reseller_still_sees_its_own_lines(login, reseller_admin, busy_reseller):
    _reseller, voucher = busy_reseller
    text = login(reseller_admin).get(reverse("customers:funds")).content.decode()
    assert "机密客户甲有限公司" in text


def test_another_distributor_sees_nothing(login, busy_reseller):
    from partner_center.accounts.permissions import PartnerType
    from tests.factories import PartnerFactory

    reseller, _voucher = busy_reseller
    stranger = partner_user(PartnerFactory(types=[PartnerType.DISTRIBUTOR]))
    assert (
        login(stranger).get(reverse("customers:reseller_detail", args=[reseller.pk])).status_code
        == 404
    )
