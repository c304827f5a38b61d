"""The old partner never sees consumption booked to the customer's next partner.

The exact scenario of the penetration test: partner A unbinds a customer in the middle of
the month, the customer joins partner B (reseller model) the same month, and consumption is
booked to B's hosted sub-account. A's admin and member must not see it, on the page or in the
API, in the summary or in the record list."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from customers import selectors, services
from customers.models import Attribution
from partner_center.accounts.permissions import Role
from tests.customers.conftest import associate, at, open_account, usage
from tests.factories import partner_user
from tests.helpers import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(owner, outsider, customer, agreement):
    """The customer leaves `owner`'s partner on the 10th and joins `outsider`'s on the 12th."""
    with time_machine.travel(at(1, 9)):
        old = associate(owner, customer)
        open_account(old, owner, amount="500.00")
    with time_machine.travel(at(5)):
        usage(customer, "MINE-1", at(5), "100.00")
    with time_machine.travel(at(10)):
        services.customer_unbind(actor=owner, association=old, reason="")
    with time_machine.travel(at(11)):
        usage(customer, "OWN-MAIN-1", at(11), "7.00")  # between partners: its own main account
    with time_machine.travel(at(12, 9)):
        new = associate(outsider, customer)
        open_account(new, outsider, amount="500.00")
    with time_machine.travel(at(20)):
        secret = usage(customer, "SECRET-B-1", at(20), "4321.00")
    assert secret.partner == outsider.partner
    assert secret.attributed_to == Attribution.HOSTED_SUB_ACCOUNT
    old.refresh_from_db()
    return old, new


@pytest.mark.parametrize(
    ("side", "hosted", "main", "numbers"),
    [
        # the old partner's summary leaves out the new partner's consumption
        ("old", "100.00", "7.00", {"MINE-1", "OWN-MAIN-1"}),
        # the new partner sees only its own part
        ("new", "4321.00", "0.00", {"SECRET-B-1"}),
    ],
)
def test_each_partner_sees_only_its_own_part(moved, side, hosted, main, numbers):
    association = dict(zip(("old", "new"), moved, strict=True))[side]
    rows = selectors.consumption_summary(association)
    assert [(r.period, r.hosted, r.main) for r in rows] == [
        ("2026-03", Decimal(hosted), Decimal(main))
    ]
    found = selectors.consumption_for_association(association).values_list("record_no", flat=True)
    assert set(found) == numbers


@pytest.mark.parametrize("role", [Role.PARTNER_ADMIN, Role.PARTNER_MEMBER])
def test_old_partners_page_and_api_do_not_show_it(moved, owner, role, login):
    old, _new = moved
    user = owner if role == Role.PARTNER_ADMIN else partner_user(owner.partner, role)
    page = login(user).get(reverse("customers:detail", args=[old.pk]) + "?tab=consumption")
    assert page.status_code == 200
    body = page.content.decode()
    assert "MINE-1" in body
    assert "SECRET-B-1" not in body and "4,321" not in body and "4321" not in body

    api = api_client(user)
    response = api.get(f"/api/v1/customers/associations/{old.pk}/consumption-summary/")
    assert response.status_code == 200
    assert "4321" not in response.content.decode()


def test_recommendations_use_only_what_the_customer_used_through_that_partner(moved):
    from customers.models import KnowledgeArticle, Product

    old, new = moved
    services.consumption_record(
        actor=None,
        data=services.ConsumptionData(
            record_no="OLD-OBS-1",
            customer_account=old.customer.account_name,
            product_code="obs",
            amount=Decimal("1.00"),
            consumed_at=at(6),
        ),
    )
    obs = Product.objects.get(code="obs")
    ecs = Product.objects.get(code="ecs")
    KnowledgeArticle.objects.create(product=obs, title="对象存储最佳实践")
    KnowledgeArticle.objects.create(product=ecs, title="云服务器选型")
    titles = {a.title for a in selectors.recommendations_for(new).articles}
    assert titles == {"云服务器选型"}  # obs was used only under the old partner
