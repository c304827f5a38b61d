"""A real Celery worker (Redis broker) runs the SLA sweep and a bulk import."""

import time

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from opportunities import services, tasks
from opportunities.models import Opportunity, POImport
from partner_center.celery import app

from .conftest import CONSENT, make_po, sh

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(check, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)  # polling a real worker, not simulating time
    return False


def test_worker_sweeps_overdue_items_and_runs_imports(owner):
    with time_machine.travel(sh(2026, 1, 5, 10), tick=False):
        po = services.po_submit(actor=owner, po=make_po(owner), consent=CONSENT)
    assert po.deadline < sh(2026, 2, 1)
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        tasks.sweep_deadlines.delay()
        assert wait_for(lambda: Opportunity.objects.get(pk=po.pk).state == "rejected")
        csv = "客户名称,项目名称,产品\n乙有限公司,项目,ecs\n".encode()
        with transaction.atomic():
            imp = services.po_import_start(
                actor=owner, partner=owner.partner, upload=SimpleUploadedFile("a.csv", csv)
            )
        # queued after commit; the worker processes it
        assert wait_for(lambda: POImport.objects.get(pk=imp.pk).state == "done")
    imp.refresh_from_db()
    assert imp.succeeded == 1
    assert Opportunity.objects.get(pk=po.pk).decision_rule == "sla_expired"
