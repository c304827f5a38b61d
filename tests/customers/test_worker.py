"""The auto-renew task through a real Celery worker on Redis (not eager)."""

from datetime import timedelta

import pytest

from customers.models import Order
from customers.tasks import auto_renew_resources
from tests.customers.conftest import associate, open_account
from tests.customers.test_resources import make_resource
from tests.helpers import run_in_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_runs_the_auto_renewal_once(owner, customer):
    from customers import services

    services.agreement_ensure_published()
    association = associate(owner, customer)
    open_account(association, owner, amount="1000.00")
    make_resource(association, expires_in=timedelta(days=1), auto_renew=True)
    assert run_in_worker(auto_renew_resources, runs=2)
    # two runs, one renewal
    assert Order.objects.filter(source=Order.Source.AUTO_RENEW).count() == 1
