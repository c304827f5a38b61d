"""Two BD users verify two duplicate POs at the same instant: exactly one wins. Real
PostgreSQL transactions on their own connections, started together by a barrier."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opportunities import services
from opportunities.models import Opportunity
from partner_center.accounts.permissions import PartnerType, Role
from partner_center.errors import DomainError
from tests.factories import PartnerFactory, UserFactory, partner_user
from tests.helpers import race

from .conftest import make_po

pytestmark = pytest.mark.django_db(transaction=True)
S = Opportunity.State


@pytest.mark.parametrize("round_", range(3))
def test_two_bd_users_verifying_duplicates_at_once_exactly_one_wins(round_):
    bd1 = UserFactory(role=Role.BD, email=f"bd1-{round_}@vendor.test")
    bd2 = UserFactory(role=Role.BD, email=f"bd2-{round_}@vendor.test")
    users = [
        partner_user(PartnerFactory(types=[PartnerType.SOLUTION_PROVIDER], pce=True))
        for _ in range(2)
    ]
    pos = [
        make_po(u, state="under_verification", bd=bd1, customer_name=f"并发客户{round_}有限公司")
        for u in users
    ]
    outcomes = race(
        [
            lambda po=po, bd=bd: services.po_verify(
                actor=bd, po=po, account_manager="刘经理", confirmed_on=timezone.localdate()
            )
            for po, bd in zip(pos, (bd1, bd2), strict=True)
        ]
    )
    states = sorted(
        Opportunity.objects.filter(pk__in=[p.pk for p in pos]).values_list("state", flat=True)
    )
    assert states == [S.REJECTED, S.VERIFIED]
    # The loser was refused by the rule (a domain answer), not by a deadlock or a crash.
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert all(isinstance(e, DomainError) for e in errors), errors
    loser = Opportunity.objects.get(pk__in=[p.pk for p in pos], state=S.REJECTED)
    assert loser.decision_rule == "duplicate"


def test_two_shares_of_one_lead_at_once_exactly_one_holds_it():
    bd1 = UserFactory(role=Role.BD, email="bd1-share@vendor.test")
    bd2 = UserFactory(role=Role.BD, email="bd2-share@vendor.test")
    partners = [PartnerFactory(pce=True) for _ in range(2)]
    from .conftest import make_lead

    lead = make_lead(bd1)
    outcomes = race(
        [
            lambda p=p, bd=bd: services.ho_share(actor=bd, lead=lead, partner=p)
            for p, bd in zip(partners, (bd1, bd2), strict=True)
        ]
    )
    assert Opportunity.objects.filter(lead=lead, state=S.PENDING).count() == 1
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError)


def test_two_sweeps_at_once_end_each_item_once():
    """Beat late and a manual run at the same moment: every item ends once, one event each."""
    import time_machine

    from opportunities import sla
    from partner_center.audit.models import Event

    from .conftest import CONSENT, sh

    user = partner_user(PartnerFactory(pce=True))
    with time_machine.travel(sh(2026, 11, 23, 10), tick=False):
        pos = [
            services.po_submit(
                actor=user,
                po=make_po(user, customer_name=f"清扫客户{i}有限公司"),
                consent=CONSENT,
            )
            for i in range(30)
        ]
    now = pos[0].deadline + timedelta(days=3)
    outcomes = race([lambda: sla.sweep_overdue(now=now, batch_size=7) for _ in range(2)])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(o.total for o in outcomes) == 30
    assert Opportunity.objects.filter(state=S.REJECTED, decision_rule="sla_expired").count() == 30
    assert Event.objects.filter(verb="po.expired").count() == 30
