"""A real worker process is killed (SIGKILL) in the middle of an import: the reaper queues
the import again, a new worker continues where the first stopped, and no row makes two POs."""

import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from opportunities import services as po_services
from opportunities.import_jobs import IMPORT_JOB
from opportunities.models import ImportRow, Opportunity, POImport
from partner_center.celery import app
from partner_center.jobs import reap
from partner_center.outbox.services import relay_due
from tests.faults import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROOT = django_settings.BASE_DIR
ROWS = 300


def worker_process() -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "partner_center.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": django_settings.CELERY_BROKER_URL,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "partner_center",
            "worker",
            "-P",
            "solo",
            "-Q",
            app.conf.task_default_queue,
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_worker_killed_mid_import(owner, settings):
    settings.MEDIA_ROOT = ROOT / "var" / "test-media"  # where the worker process looks
    rows = "".join(f"被杀客户{i}有限公司,项目{i},ecs\n" for i in range(ROWS))
    imp = po_services.po_import_start(
        actor=owner,
        partner=owner.partner,
        upload=SimpleUploadedFile("kill.csv", ("客户名称,项目名称,产品\n" + rows).encode()),
    )  # handed to the broker at commit; the worker below takes it
    first = worker_process()
    try:
        assert wait_for(lambda: ImportRow.objects.filter(po_import=imp).count() >= 20, 90)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    done_before = ImportRow.objects.filter(po_import=imp).count()
    imp.refresh_from_db()
    assert imp.state == "running" and done_before < ROWS

    assert reap(IMPORT_JOB, now=timezone.now() + timedelta(minutes=4))["requeued"] == 1
    second = worker_process()
    try:
        relay_due()  # normally sent already at the reaper's commit
        assert wait_for(lambda: POImport.objects.get(pk=imp.pk).state == "done", 180)
    finally:
        second.terminate()
        second.wait(20)
    imp.refresh_from_db()
    print(f"killed after {done_before} of {ROWS} rows; finished with {imp.succeeded}")  # noqa: T201
    assert imp.succeeded == ROWS and imp.attempts == 2
    assert ImportRow.objects.filter(po_import=imp).count() == ROWS
    assert Opportunity.objects.filter(customer_name__startswith="被杀客户").count() == ROWS
    os.remove(ROOT / "var" / "test-media" / imp.file.name)
