"""The "needs me" list: a resource expiring without auto-renewal reaches those who may renew it
(renewing pays from the account: a partner admin, a member with the money grant), not a
member without the grant, whom the renew page refuses."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from customers import services
from customers.models import Resource
from tests.factories import money_members
from tests.helpers import todo_items

pytestmark = pytest.mark.django_db


def test_only_people_who_may_renew_see_a_resource_to_renew(login, owner, partner, account):
    association = account.association
    Resource.objects.create(
        resource_id="ecs-todo",
        name="服务器 ecs-todo",
        customer=association.customer,
        partner=partner,
        association=association,
        product=services._product("ecs", "弹性云服务器 ECS"),
        renewal_price=Decimal("300.00"),
        started_at=timezone.now() - timedelta(days=20),
        expires_at=timezone.now() + timedelta(days=10),
        auto_renew=False,
    )
    granted, plain = money_members(partner)

    def listed(user):
        return todo_items(login(user), "resource_to_renew")

    for user in (owner, granted):
        [item] = listed(user)
        page = login(user).get(item.url)
        assert page.status_code == 200 and 'data-testid="renew-submit"' in page.content.decode()
    assert listed(plain) == []
    assert login(plain).get(item.url).status_code == 403
