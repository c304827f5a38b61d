import pytest

from partner_center.accounts.permissions import PartnerType, Role
from tests.factories import PartnerFactory, UserFactory, partner_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_logs_in_switches_language_and_sees_its_menu(page, browser_login):
    partner = PartnerFactory(name="浏览器测试伙伴有限公司", types=[PartnerType.SOLUTION_PROVIDER])
    user = partner_user(partner, Role.PARTNER_ADMIN, email="browser@partner.test")
    browser_login(page, user)
    assert page.inner_text("[data-testid=partner-name]") == "浏览器测试伙伴有限公司"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("[data-testid=logout]").inner_text() == "退出登录"
    page.click("[data-testid=language-switcher] button[data-lang=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("[data-testid=user-menu]")
    assert page.locator("[data-testid=logout]").inner_text() == "Sign out"
    assert page.locator("[data-testid=main-menu] [data-menu=home]").count() == 1


def test_bd_sees_the_bd_workspace_and_no_partner_menu(page, browser_login):
    bd = UserFactory(role=Role.BD, email="bd-browser@vendor.test")
    browser_login(page, bd)
    assert page.locator("[data-testid=workspace-title]").count() == 1
    assert page.locator("[data-testid=main-menu] [data-menu=home]").count() == 0


def test_wrong_password_message_in_the_page(page):
    UserFactory(email="someone@partner.test")
    page.goto("/login/")
    page.fill("input[name=username]", "someone@partner.test")
    page.fill("input[name=password]", "wrong")
    page.click("[data-testid=login-submit]")
    assert "邮箱或密码错误" in page.inner_text("[data-testid=form-errors]")
