"""Menus by partner type and role; the period close runs from the beat schedule through a
real Celery worker, once."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from partner_center.accounts.permissions import PartnerType, Role
from partner_center.menus import menu_for
from tests.factories import PartnerFactory, partner_user


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


def _wait_for(predicate, timeout=20.0) -> bool:
    done = threading.Event()
    deadline = timezone.now() + timedelta(seconds=timeout)
    while timezone.now() < deadline:
        if predicate():
            return True
        done.wait(0.2)
    return predicate()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_closes_the_last_period_once(partner, owner, program):
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from incentives.models import PeriodStatement
    from incentives.periods import last_closed_period
    from incentives.tasks import close_last_period
    from partner_center.celery import app
    from partner_center.notifications.models import Notification, Topic
    from partner_center.notifications.services import subscribe

    subscribe(actor=owner, topic=Topic.ESTIMATED_INCENTIVES)
    finished: list[str] = []

    def on_done(sender=None, task_id=None, **kwargs):
        if sender is not None and sender.name == close_last_period.name:
            finished.append(task_id)

    task_postrun.connect(on_done, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
            ids = {close_last_period.delay().id, close_last_period.delay().id}
            assert _wait_for(lambda: ids <= set(finished))
    finally:
        task_postrun.disconnect(on_done)
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
