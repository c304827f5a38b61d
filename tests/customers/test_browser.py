"""In a real browser: a partner invites a customer, the customer registers from the link,
signs the agreement and is associated; the partner sets the budget and funds the account."""

import pytest

from customers.models import Account, Association
from partner_center.accounts.permissions import PartnerType, Role
from tests.factories import PartnerFactory, partner_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invite_register_sign_and_fund(
    page, browser_context, browser_login, live_server, monkeypatch
):
    import re

    from django.core import mail

    from customers import tasks

    # The live server runs in this process: deliver the code e-mail at once.
    monkeypatch.setattr(tasks.email_registration, "delay", lambda *a: tasks.email_registration(*a))
    partner = PartnerFactory(name="浏览器伙伴有限公司", types=[PartnerType.SOLUTION_PROVIDER])
    owner = partner_user(
        partner, Role.PARTNER_ADMIN, email="owner@browser.test", can_move_money=True
    )
    browser_login(page, owner)

    page.goto("/customers/invitations/")
    page.select_option("select[name=billing_model]", "reseller")
    page.fill("input[name=email]", "boss@browser-client.test")
    page.click("[data-testid=create-invitation]")
    link = page.locator("[data-testid=invitation-link]").first.input_value()
    assert "/customers/invite/" in link

    customer_context = browser_context.browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}
    )
    try:
        customer = customer_context.new_page()
        customer.goto(link)
        assert "浏览器伙伴有限公司" in customer.inner_text("h1")
        customer.click("[data-testid=invite-register]")
        customer.fill("input[name=name]", "浏览器客户有限公司")
        customer.fill("input[name=password1]", "Cl0ud-Secret-9")
        customer.fill("input[name=password2]", "Cl0ud-Secret-9")
        assert customer.input_value("input[name=email]") == "boss@browser-client.test"
        customer.click("[data-testid=register-submit]")
        customer.wait_for_selector("[data-testid=sent-to]")
        code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
        customer.fill("input[name=code]", code)
        customer.click("[data-testid=verify-submit]")
        customer.wait_for_selector("[data-testid=agreement-body]")
        customer.click("[data-testid=accept-invitation]")  # without ticking the box
        assert customer.locator("[data-field-error=agree]").count() == 1
        customer.check("input[name=agree]")
        customer.click("[data-testid=accept-invitation]")
        customer.wait_for_url("**/customers/me/")
        assert customer.inner_text("[data-testid=my-partner]") == "浏览器伙伴有限公司"
        assert customer.locator("[data-testid=my-frozen]").count() == 1
    finally:
        customer_context.close()

    association = Association.objects.get(partner=partner)
    page.goto("/customers/")
    row = page.locator("[data-testid=customer-row]")
    assert row.count() == 1 and row.locator("[data-testid=frozen-badge]").count() == 1
    row.locator("a.fw-semibold").click()
    page.click("[data-tab=account]")
    page.click("[data-testid=budget-button]")
    page.fill("input[name=monthly_budget]", "5000")
    page.click("[data-testid=submit]")
    page.click("[data-testid=confirm]")
    page.click("[data-testid=fund-button]")
    page.fill("input[name=amount]", "1000")
    page.click("[data-testid=submit]")
    assert "壹仟元整" in page.inner_text("[data-testid=confirm-words]")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=balance]")
    assert page.inner_text("[data-testid=balance]") == "¥1,000.00"
    account = Account.objects.get(association=association)
    assert account.balance == 1000 and not account.frozen
