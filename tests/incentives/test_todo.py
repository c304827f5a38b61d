"""The "needs me" list: incentive amounts to confirm and payments to request reach those who
may settle (a partner admin, a member with the money grant), not a member without it, who
could not act on them."""

from datetime import date

import pytest
import time_machine

from incentives import services
from tests.factories import money_members
from tests.helpers import todo_items
from tests.incentives.conftest import deliver, shanghai
from tests.opportunities.conftest import make_po

pytestmark = pytest.mark.django_db


@time_machine.travel(shanghai(2026, 3, 20, 10), tick=False)
def test_only_people_who_may_settle_see_incentives_to_confirm(login, owner, bd, partner, program):
    with time_machine.travel(shanghai(2026, 3, 1, 9), tick=False):
        po = make_po(owner, state="verified", bd=bd)
    po = deliver(po, owner, bd, delivered_on=date(2026, 3, 10))
    app = services.incentive_apply(actor=owner, opportunity=po, offering="ecs")
    services.incentive_publish(actor=bd, application=app)
    granted, plain = money_members(partner)

    def listed(user):
        return todo_items(login(user), "incentive_to_confirm")

    for user in (owner, granted):
        [item] = listed(user)
        page = login(user).get(item.url)
        assert page.status_code == 200 and 'data-testid="confirm"' in page.content.decode()
    assert listed(plain) == []
    assert 'data-testid="confirm"' not in login(plain).get(item.url).content.decode()
