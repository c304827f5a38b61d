"""The money confirmation step in a real browser, in Chinese and English, on a phone and on a
desktop; screenshots go to var/screens/ (not committed) for a person to look at."""

from datetime import timedelta
from pathlib import Path

import pytest

from customers import services
from customers.models import Account, MoneyLimit
from partner_center.accounts.permissions import Role
from tests.customers.conftest import associate, make_customer
from tests.factories import partner_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
@pytest.mark.parametrize("width", [390, 1366])
def test_confirmation_step_screens(
    browser_context, browser_login, live_server, partner, owner, locale, width
):
    services.agreement_ensure_published()
    partner_user(partner, Role.PARTNER_ADMIN, email="second@huayun.test")
    MoneyLimit.objects.create(partner=partner, per_operation="50000.00")
    association = associate(owner, make_customer(name="星辰数据科技有限公司"))
    account = Account.objects.get(association=association)
    services.account_set_budget(actor=owner, account=account, monthly_budget="20000")
    services.account_fund(actor=owner, account=account, amount="3250.50")
    context = browser_context.browser.new_context(
        base_url=live_server.url, locale=locale, viewport={"width": width, "height": 900}
    )
    try:
        page = context.new_page()
        browser_login(page, owner)
        SCREENS.mkdir(parents=True, exist_ok=True)
        for action, field, amount in [
            ("fund", "amount", "123456.78"),
            ("reclaim", None, None),
            ("budget", "monthly_budget", "100000"),
        ]:
            page.goto(f"/customers/{association.pk}/{action}/")
            if field:
                page.fill(f"input[name={field}]", amount)
            else:
                page.check("input[name=reclaim_all]")
            page.click("[data-testid=submit]")
            page.wait_for_selector("[data-testid=money-confirm]")
            words = page.inner_text("[data-testid=confirm-words]")
            assert words.strip()
            page.screenshot(
                path=str(SCREENS / f"confirm-{action}-{locale}-{width}.png"), full_page=True
            )
            overflow = page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            assert not overflow, f"{action} {locale} {width}: the page scrolls sideways"
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
@pytest.mark.parametrize("width", [390, 1366])
def test_reseller_and_voucher_confirmation_screens(
    browser_context, browser_login, live_server, locale, width
):
    from django.utils import timezone

    from partner_center.accounts.permissions import PartnerType
    from tests.factories import PartnerFactory

    services.agreement_ensure_published()
    distributor = PartnerFactory(name="鼎盛总经销有限公司", types=[PartnerType.DISTRIBUTOR])
    dist_admin = partner_user(distributor, Role.PARTNER_ADMIN, can_move_money=True)
    reseller = PartnerFactory(
        name="启航二级经销有限公司", types=[PartnerType.RESELLER], parent_distributor=distributor
    )
    res_admin = partner_user(reseller, Role.PARTNER_ADMIN, can_move_money=True)
    services.reseller_fund(actor=dist_admin, reseller=reseller, amount="80000")
    services.reseller_grant_quota(actor=dist_admin, reseller=reseller, amount="5000")
    association = associate(res_admin, make_customer(name="云帆网络科技有限公司"))
    context = browser_context.browser.new_context(
        base_url=live_server.url, locale=locale, viewport={"width": width, "height": 900}
    )
    try:
        page = context.new_page()
        SCREENS.mkdir(parents=True, exist_ok=True)
        browser_login(page, dist_admin)
        page.goto(f"/customers/resellers/{reseller.pk}/")
        page.fill("input[name=reclaim-amount]", "25000")
        page.click("[data-testid=form-reclaim] button[type=submit]")
        page.wait_for_selector("[data-testid=money-confirm]")
        page.screenshot(
            path=str(SCREENS / f"confirm-reseller-reclaim-{locale}-{width}.png"), full_page=True
        )
        page.click("[data-testid=confirm]")
        page.wait_for_selector("[data-testid=funds-left]")
        assert "55,000.00" in page.inner_text("[data-testid=funds-left]")
        context.clear_cookies()
        browser_login(page, res_admin)
        page.goto("/customers/vouchers/")
        page.fill("input[name=association]", association.customer.account_name)
        page.fill("input[name=face_value]", "1200")
        until = (timezone.localdate() + timedelta(days=30)).isoformat()
        page.fill("input[name=valid_until]", until)
        page.click("form:has(input[name=face_value]) button[type=submit]")
        page.wait_for_selector("[data-testid=money-confirm]")
        page.screenshot(path=str(SCREENS / f"confirm-voucher-{locale}-{width}.png"), full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        assert not overflow
    finally:
        context.close()
