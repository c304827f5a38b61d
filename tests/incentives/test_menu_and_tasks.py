"""Menus by partner type and role; the period close runs from the beat schedule through a
real Celery worker, once."""

import pytest
from django.conf import settings

from partner_center.accounts.permissions import PartnerType, Role
from partner_center.menus import menu_for
from tests.factories import PartnerFactory, partner_user
from tests.helpers import run_in_worker


def _entries(user) -> set[str]:
    return {
        e["url_name"] for s in menu_for(user) for e in s["entries"] if "incentives" in e["url_name"]
    }


@pytest.mark.django_db
def test_menus_follow_the_partner_type(owner, bd):
    distributor = partner_user(PartnerFactory(types=[PartnerType.DISTRIBUTOR]), Role.PARTNER_ADMIN)
    learning = partner_user(PartnerFactory(types=[PartnerType.LEARNING]), Role.PARTNER_ADMIN)
    assert _entries(owner) == {
        "incentives:performance",
        "incentives:estimates",
        "incentives:applications",
        "incentives:program",
    }
    assert "incentives:dashboard" in _entries(distributor)
    assert _entries(learning) == {"incentives:applications", "incentives:program"}
    assert _entries(bd) == {
        "incentives:performance",
        "incentives:estimates",
        "incentives:program",
        "incentives:review",
    }


def test_the_close_is_scheduled_on_the_first_days_of_a_month():
    entry = settings.CELERY_BEAT_SCHEDULE["incentives-close-period"]
    assert entry["task"] == "incentives.tasks.close_last_period"
    assert entry["schedule"].day_of_month == {1, 2, 3}
    assert "incentives-credit-missed-orders" in settings.CELERY_BEAT_SCHEDULE


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_closes_the_last_period_once(partner, owner, program):
    from incentives.models import PeriodStatement
    from incentives.periods import last_closed_period
    from incentives.tasks import close_last_period
    from partner_center.notifications.models import Notification, Topic
    from partner_center.notifications.services import subscribe

    subscribe(actor=owner, topic=Topic.ESTIMATED_INCENTIVES)
    assert run_in_worker(close_last_period, runs=2)
    period = last_closed_period()
    assert PeriodStatement.objects.filter(partner=partner, period=period).count() == 1
    assert (
        Notification.objects.filter(recipient=owner, kind="topic.estimated_incentives").count() == 1
    )


@pytest.mark.django_db
def test_the_section_front_door_opens_the_first_page_the_user_may_see(
    login, owner, bd, customer_user
):
    from django.urls import reverse

    learning = partner_user(PartnerFactory(types=[PartnerType.LEARNING]), Role.PARTNER_ADMIN)
    home = reverse("incentives:home")
    assert login(owner).get(home).url == reverse("incentives:performance")
    assert login(learning).get(home).url == reverse("incentives:applications")
    assert login(bd).get(home).url == reverse("incentives:performance")
    assert login(customer_user).get(home).status_code == 403
