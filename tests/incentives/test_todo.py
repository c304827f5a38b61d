"""The "needs me" list: incentive amounts to confirm and payments to request reach those who
may settle (a partner admin, a member with the money grant), not a member without it, who
could not act on them."""

from datetime import date

import pytest
import time_machine

from incentives import services
from tests.helpers import reaches_only_who_may_move_money
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
    plain, url = reaches_only_who_may_move_money(login, owner, "incentive_to_confirm", "confirm")
    assert 'data-testid="confirm"' not in login(plain).get(url).content.decode()
