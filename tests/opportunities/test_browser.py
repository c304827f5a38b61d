"""End to end in Chromium: a partner submits a PO and BD verifies it; BD shares an HO and
the partner accepts it."""

import pytest

from opportunities.models import Opportunity
from partner_center.accounts.permissions import PartnerType, Role
from tests.factories import PartnerFactory, UserFactory, partner_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    partner = PartnerFactory(
        name="浏览器伙伴有限公司", types=[PartnerType.SOLUTION_PROVIDER], pce=True
    )
    return {
        "partner": partner,
        "owner": partner_user(partner, Role.PARTNER_ADMIN, email="po-owner@partner.test"),
        "bd": UserFactory(role=Role.BD, email="bd-e2e@vendor.test", full_name="BD 李"),
    }


def switch_user(page, browser_login, user):
    page.context.clear_cookies()
    browser_login(page, user)


def test_partner_submits_a_po_and_bd_verifies_it(page, browser_login, people):
    browser_login(page, people["owner"])
    page.goto("/opportunities/")
    page.click("[data-testid=new-po]")
    page.fill("input[name=customer_name]", "江南智造装备股份有限公司")
    page.select_option("select[name=customer_industry]", "manufacturing")
    page.fill("input[name=contact_name]", "周建国")
    page.fill("input[name=contact_phone]", "13912345678")
    page.fill("input[name=project_name]", "MES 系统上云")
    page.check("input[name=products][value=ecs]")
    page.check("input[name=products][value=rds]")
    page.fill("input[name=amount]", "680000")
    page.fill("input[name=expected_close_date]", "2026-12-31")
    page.click("[data-testid=save]")
    page.click("[data-testid=submit-link]")
    page.check("input[name=consent_confirmed]")
    page.select_option("select[name=consent_method]", "email")
    page.fill("textarea[name=consent_note]", "客户邮件同意")
    page.click("[data-testid=confirm-submit]")
    assert page.get_attribute("[data-testid=state]", "data-state") == "submitted"
    assert page.locator("[data-testid=countdown]").count() == 1
    po = Opportunity.objects.get()

    switch_user(page, browser_login, people["bd"])
    page.goto("/opportunities/review/")
    page.click(f"[data-testid=opportunity-row][data-id='{po.pk}'] a")
    page.click("[data-testid=start-verification]")
    assert page.get_attribute("[data-testid=state]", "data-state") == "under_verification"
    page.click("[data-testid=verify-link]")
    page.fill("input[name=account_manager]", "刘经理")
    page.click("[data-testid=action-submit]")
    assert page.get_attribute("[data-testid=state]", "data-state") == "verified"

    switch_user(page, browser_login, people["owner"])
    page.goto(f"/opportunities/{po.pk}/")
    assert page.get_attribute("[data-testid=state]", "data-state") == "verified"
    assert "验证通过" in page.inner_text("[data-testid=timeline]")
    assert page.locator("[data-testid=progress-link]").count() == 1


def test_bd_shares_an_ho_and_the_partner_accepts_it(page, browser_login, people):
    browser_login(page, people["bd"])
    page.goto("/opportunities/pool/")
    page.click("[data-testid=new-lead]")
    page.fill("input[name=crm_id]", "CRM-E2E-1")
    page.fill("input[name=crm_created_at]", "2026-01-05T09:30")
    page.fill("input[name=customer_name]", "海川新能源科技有限公司")
    page.fill("input[name=contact_name]", "王海川")
    page.fill("input[name=contact_phone]", "13912345678")
    page.fill("input[name=project_name]", "储能云平台")
    page.check("input[name=products][value=iot]")
    page.click("[data-testid=save]")
    page.select_option("select[name=partner]", str(people["partner"].pk))
    page.click("[data-testid=share]")
    assert "待接收" in page.inner_text("[data-testid=lead-status]")
    ho = Opportunity.objects.get(kind="ho")
    assert ho.state == "pending"

    switch_user(page, browser_login, people["owner"])
    page.goto("/opportunities/inbox/")
    row = page.locator(f"[data-testid=opportunity-row][data-id='{ho.pk}']")
    assert row.count() == 1
    page.click(f"[data-testid=opportunity-row][data-id='{ho.pk}'] a")
    assert "13912345678" not in page.inner_text("[data-testid=contact]")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("[data-testid=accept]")  # asks first, as the inbox row's button does
    assert page.get_attribute("[data-testid=state]", "data-state") == "accepted"
    assert asked and f"#{ho.pk}" in asked[0]
    assert "13912345678" in page.inner_text("[data-testid=contact]")

    switch_user(page, browser_login, people["bd"])
    page.goto(f"/opportunities/pool/{ho.lead_id}/")
    assert "已接收" in page.inner_text("[data-testid=lead-status]")
