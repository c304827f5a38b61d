"""The PDF export from the click to the download, through a real Celery worker on Redis."""

from datetime import timedelta

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from billing import services
from billing.models import ExportTask
from billing.pdf import RenderError
from billing.schedules import SCHEDULE
from billing.tasks import expire_export_files, render_bill_pdf
from partner_center.celery import app
from partner_center.notifications.models import Notification
from tests.billing.factories import make_bill
from tests.helpers import wait_for


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_export_runs_on_a_worker_and_only_the_partner_downloads_it(
    partner, owner, teammate, outsider, login
):
    bill = make_bill(partner, "2026-05", lines=25)
    client = login(owner)
    finished: list[str] = []

    def on_done(sender=None, task_id=None, **kwargs):
        if sender is not None and sender.name == render_bill_pdf.name:
            finished.append(task_id)

    task_postrun.connect(on_done, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
            response = client.post(
                reverse("billing:bill_export_pdf", args=["2026-05"]), follow=True
            )
            # the click answers at once; the task is queued or already being worked on
            assert "导出任务创建成功" in response.content.decode()
            task = ExportTask.objects.get(bill=bill)
            assert wait_for(lambda: finished, timeout=60.0)
    finally:
        task_postrun.disconnect(on_done)

    task.refresh_from_db()
    assert task.state == ExportTask.State.DONE, task.failure_reason
    assert task.progress == 100 and task.page_count == 2 and task.file_size > 10_000
    assert task.expires_at > timezone.now()
    assert Notification.objects.filter(recipient=owner, kind="billing.export_done").exists()

    url = reverse("billing:export_download", args=[task.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert login(teammate).get(url).status_code == 200
    assert login(outsider).get(url).status_code == 404


@pytest.mark.django_db
def test_a_second_click_while_rendering_reuses_the_task(
    partner, owner, login, django_capture_on_commit_callbacks
):
    make_bill(partner, "2026-05", lines=2)
    client = login(owner)
    url = reverse("billing:bill_export_pdf", args=["2026-05"])
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(url)
        client.post(url)
    assert ExportTask.objects.count() == 1
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_a_failed_render_records_the_reason(partner, owner, monkeypatch):
    bill = make_bill(partner, "2026-05", lines=2)
    task, _ = services.export_request(actor=owner, bill=bill)

    def broken(*args, **kwargs):
        raise RenderError("字体缺失")

    monkeypatch.setattr("billing.pdf.render_bill_pdf", broken)
    services.export_render(task_id=task.pk)
    task.refresh_from_db()
    assert task.state == ExportTask.State.FAILED
    assert task.failure_reason == "字体缺失"
    assert not task.file


@pytest.mark.django_db
def test_running_the_task_twice_renders_once(partner, owner, monkeypatch):
    bill = make_bill(partner, "2026-05", lines=2)
    task, _ = services.export_request(actor=owner, bill=bill)
    calls = []

    def fake(bill, path, progress=None):
        calls.append(path)
        path.write_bytes(b"%PDF-1.7 fake")
        return 1

    monkeypatch.setattr("billing.pdf.render_bill_pdf", fake)
    services.export_render(task_id=task.pk)
    services.export_render(task_id=task.pk)
    assert len(calls) == 1
    task.refresh_from_db()
    assert task.state == ExportTask.State.DONE


def _done_task(partner, owner, name="billing/exports/x/old.pdf"):
    bill = make_bill(partner, "2026-05", lines=1)
    stored = default_storage.save(name, ContentFile(b"%PDF-1.7"))
    now = timezone.now()
    return ExportTask.objects.create(
        partner=partner,
        bill=bill,
        requested_by=owner,
        state=ExportTask.State.DONE,
        progress=100,
        file=stored,
        file_size=8,
        finished_at=now,
        expires_at=now + timedelta(days=7),
    )


@pytest.mark.django_db
def test_old_export_files_expire(partner, owner, login, settings):
    task = _done_task(partner, owner)
    url = reverse("billing:export_download", args=[task.pk])
    assert login(owner).get(url).status_code == 200
    assert services.exports_expire() == 0  # not yet
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert expire_export_files() == 1
        assert expire_export_files() == 0  # twice is harmless
    task.refresh_from_db()
    assert task.state == ExportTask.State.EXPIRED and not task.file
    assert not default_storage.exists("billing/exports/x/old.pdf")
    assert login(owner).get(url).status_code == 404


def test_expiry_runs_from_beat():
    entry = SCHEDULE["billing-expire-export-files"]
    assert entry["task"] == expire_export_files.name
    assert expire_export_files.name in app.tasks


@pytest.mark.django_db
def test_files_live_as_long_as_the_configured_ttl(partner, owner, monkeypatch, settings):
    settings.EXPORT_FILE_TTL = timedelta(hours=2)
    bill = make_bill(partner, "2026-05", lines=1)
    task, _ = services.export_request(actor=owner, bill=bill)

    def fake(bill, path, progress=None):
        path.write_bytes(b"%PDF-1.7 fake")
        return 1

    monkeypatch.setattr("billing.pdf.render_bill_pdf", fake)
    services.export_render(task_id=task.pk)
    task.refresh_from_db()
    assert task.expires_at - task.finished_at == timedelta(hours=2)
