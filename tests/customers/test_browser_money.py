"""The money confirmation step in a real browser, in Chinese and English, on a phone and on a
desktop; screenshots go to var/screens/ (not committed) for a person to look at."""

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
