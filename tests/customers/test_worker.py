"""The auto-renew task through a real Celery worker on Redis (not eager)."""

import threading
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.utils import timezone

from customers.models import Order
from customers.tasks import auto_renew_resources
from partner_center.celery import app
from tests.customers.conftest import associate, open_account
from tests.customers.test_resources import make_resource

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout=20.0) -> bool:
    done = threading.Event()
    deadline = timezone.now() + timedelta(seconds=timeout)
    while timezone.now() < deadline:
        if predicate():
            return True
        done.wait(0.2)
    return predicate()


def test_worker_runs_the_auto_renewal_once(owner, customer):
    from customers import services

    services.agreement_ensure_published()
    association = associate(owner, customer)
    open_account(association, owner, amount="1000.00")
    make_resource(association, expires_in=timedelta(days=1), auto_renew=True)
    finished: list[str] = []

    def on_done(sender=None, task_id=None, **kwargs):
        if sender is not None and sender.name == auto_renew_resources.name:
            finished.append(task_id)

    task_postrun.connect(on_done, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
            ids = {auto_renew_resources.delay().id, auto_renew_resources.delay().id}
            assert wait_for(lambda: ids <= set(finished))
    finally:
        task_postrun.disconnect(on_done)
    # two runs, one renewal
    assert Order.objects.filter(source=Order.Source.AUTO_RENEW).count() == 1
