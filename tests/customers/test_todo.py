"""The "needs me" list: a resource expiring without auto-renewal reaches those who may renew it
(renewing pays from the account: a partner admin, a member with the money grant), not a
member without the grant, whom the renew page refuses."""

import pytest

from tests.customers.conftest import make_resource
from tests.factories import money_members
from tests.helpers import todo_items

pytestmark = pytest.mark.django_db


def test_only_people_who_may_renew_see_a_resource_to_renew(login, owner, partner, account):
    association = account.association
    make_resource(association, "ecs-todo", auto_renew=False)
    granted, plain = money_members(partner)

    def listed(user):
        return todo_items(login(user), "resource_to_renew")

    for user in (owner, granted):
        [item] = listed(user)
        page = login(user).get(item.url)
        assert page.status_code == 200 and 'data-testid="renew-submit"' in page.content.decode()
    assert listed(plain) == []
    assert login(plain).get(item.url).status_code == 403
