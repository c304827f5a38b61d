"""The "needs me" list: a resource expiring without auto-renewal reaches those who may renew it
(renewing pays from the account: a partner admin, a member with the money grant), not a
member without the grant, whom the renew page refuses."""

import pytest

from tests.customers.conftest import make_resource
from tests.helpers import reaches_only_who_may_move_money

pytestmark = pytest.mark.django_db


def test_only_people_who_may_renew_see_a_resource_to_renew(login, owner, partner, account):
    association = account.association
    make_resource(association, "ecs-todo", auto_renew=False)
    plain, url = reaches_only_who_may_move_money(login, owner, "resource_to_renew", "renew-submit")
    assert login(plain).get(url).status_code == 403
