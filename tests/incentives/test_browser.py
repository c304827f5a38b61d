"""In a real browser: the partner applies for the incentive, BD publishes the amounts, the
partner checks and confirms them and requests the payment, BD marks it paid."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incentives.models import IncentiveApplication
from partner_center.audit.selectors import timeline_for
from tests.incentives.conftest import deliver, make_program
from tests.opportunities.conftest import make_po

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, browser_login, user):
    page.context.clear_cookies()
    browser_login(page, user)


def test_apply_publish_confirm_request_payment_complete(page, browser_login, owner, bd):
    today = timezone.localdate()
    make_program(starts_on=today - timedelta(days=200), ends_on=today + timedelta(days=200))
    po = make_po(owner, state="verified", bd=bd, project_name="浏览器激励项目", products=["ecs"])
    deliver(po, owner, bd, delivered_on=today - timedelta(days=2))

    # the partner applies from the pending tab
    _as(page, browser_login, owner)
    page.goto("/incentives/applications/")
    row = page.locator("[data-testid=pending-row]")
    assert row.count() == 1 and "浏览器激励项目" in row.inner_text()
    row.locator("[data-testid=apply]").click()
    page.fill("textarea[name=note]", "项目已交付验收")
    page.click("[data-testid=apply-submit]")
    page.wait_for_selector("[data-testid=state][data-state=under_review]")
    application = IncentiveApplication.objects.get()

    # BD publishes the reconciliation summary with a corrected basis
    _as(page, browser_login, bd)
    page.goto("/incentives/review/")
    page.locator(f"[data-application='{application.pk}'] a").click()
    page.fill("input[name=publish-basis]", "10000.00")
    page.click("[data-testid=publish]")  # no note: refused next to the field
    assert page.locator("textarea[name=publish-note].is-invalid").count() == 1
    page.fill("input[name=publish-basis]", "10000.00")
    page.fill("textarea[name=publish-note]", "按验收合同金额核定")
    page.click("[data-testid=publish]")
    page.wait_for_selector("[data-testid=state][data-state=publicity]")

    # the partner checks the incentive, confirms it and requests the payment
    _as(page, browser_login, owner)
    page.goto("/incentives/applications/?tab=applied")
    page.click("[data-testid=check]")
    assert page.inner_text("[data-testid=rec-total]") == "¥530.00"
    assert page.inner_text("[data-testid=rec-tax]") == "¥30.00"
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=state][data-state=confirmed]")
    page.fill("input[name=request_payment-invoice_no]", "No.20260088")
    page.click("[data-testid=request-payment]")
    page.wait_for_selector("[data-testid=state][data-state=payment_requested]")

    # BD marks it paid
    _as(page, browser_login, bd)
    page.goto(f"/incentives/applications/{application.pk}/")
    page.fill("input[name=mark_paid-reference]", "PAY-88")
    page.click("[data-testid=mark-paid]")
    page.wait_for_selector("[data-testid=state][data-state=completed]")

    application.refresh_from_db()
    assert application.state == IncentiveApplication.State.COMPLETED
    assert str(application.total) == "530.00" and application.invoice_no == "No.20260088"
    assert [e.verb.split(".")[1] for e in timeline_for(application)] == [
        "apply",
        "publish",
        "confirm",
        "request_payment",
        "mark_paid",
    ]
    assert page.locator("[data-testid=timeline] li").count() == 5
