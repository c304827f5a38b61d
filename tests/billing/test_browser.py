"""A partner exports its bill as PDF in the browser, a real worker renders it, the partner
downloads it from the list."""

import pytest
from celery.contrib.testing.worker import start_worker

from partner_center.celery import app
from tests.billing.factories import make_bill

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_request_wait_and_download_a_bill_pdf(page, browser_login, partner, owner, tmp_path):
    make_bill(partner, "2026-05", lines=30)
    browser_login(page, owner)
    page.goto("/billing/2026-05/")
    assert page.inner_text("[data-testid=stat-due]").startswith("¥")
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
        page.click("[data-testid=export-pdf]")
        assert "导出任务创建成功" in page.inner_text(".alert-success")
        # the panel refreshes itself (htmx) until the task is done
        page.wait_for_selector("[data-testid=export-task][data-state=done]", timeout=90_000)
    with page.expect_download() as info:
        page.click("[data-testid=download]")
    target = tmp_path / "bill.pdf"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    assert info.value.suggested_filename.startswith("bill-2026-05-")
