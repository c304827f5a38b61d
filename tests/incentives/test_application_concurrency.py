"""Concurrent clicks on "Apply": real PostgreSQL transactions on their own connections,
started together by a barrier. Exactly one application per opportunity and offering."""

from datetime import date

import pytest
import time_machine

from incentives import services
from incentives.models import IncentiveApplication
from partner_center.errors import DomainError
from tests.helpers import race
from tests.incentives.conftest import deliver, make_program, shanghai
from tests.opportunities.conftest import make_po

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("clicks", [2, 4])
def test_concurrent_clicks_make_one_application(owner, teammate, bd, clicks):
    make_program()
    with time_machine.travel(shanghai(2026, 3, 1, 9), tick=False):
        po = make_po(owner, state="verified", bd=bd)
    with time_machine.travel(shanghai(2026, 3, 20, 10), tick=False):
        po = deliver(po, owner, bd, delivered_on=date(2026, 3, 10))
        users = [owner, teammate] * (clicks // 2)
        outcomes = race(
            [
                lambda u=u: services.incentive_apply(actor=u, opportunity=po, offering="ecs")
                for u in users
            ]
        )
    made = [o for o in outcomes if isinstance(o, IncentiveApplication)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(made) == 1 and len(refused) == clicks - 1, outcomes
    assert {e.code for e in refused} == {"already_applied"}
    assert IncentiveApplication.objects.filter(opportunity=po, offering="ecs").count() == 1
