"""In Chromium: pages break no Content-Security-Policy rule, and the two-factor setup and
code step work as a person uses them (screenshots with PC_SCREENS=1 into var/screens)."""

import os
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from partner_center.accounts.permissions import PartnerType, Role
from tests.factories import PartnerFactory, UserFactory, partner_user
from tests.security.conftest import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"


def watch_csp(page) -> list[str]:
    problems: list[str] = []

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            problems.append(f"{page.url}: {text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"{page.url}: {exc}"))
    return problems


def test_pages_break_no_csp_rule(page, browser_login):
    partner = PartnerFactory(
        name="策略测试伙伴有限公司", types=[PartnerType.SOLUTION_PROVIDER, PartnerType.DISTRIBUTOR]
    )
    owner = partner_user(partner, Role.PARTNER_ADMIN, email="csp@partner.test")
    problems = watch_csp(page)
    browser_login(page, owner)
    for path in [
        "/",
        "/security/",
        "/opportunities/",
        "/opportunities/po/new/",
        "/opportunities/dashboard/",
        "/opportunities/assessment/",
        "/opportunities/ho-profile/",
        "/customers/",
        "/billing/",
        "/incentives/",
        "/notifications/",
        "/members/",
        "/api/docs/",
    ]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    # Bootstrap's dropdowns work without inline script.
    page.goto("/")
    page.click("[data-testid=user-menu]")
    assert page.locator("[data-testid=security-link]").is_visible()
    assert problems == []


def test_admin_pages_break_no_csp_rule(page, browser_login):
    admin = UserFactory(
        role=Role.ADMIN, email="csp-admin@vendor.test", is_staff=True, is_superuser=True
    )
    problems = watch_csp(page)
    browser_login(page, admin)
    for path in ["/admin/", "/admin/accounts/user/", "/admin/axes/accessattempt/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert problems == []


def _shoot(page, name: str) -> None:
    if not os.environ.get("PC_SCREENS"):
        return
    SCREENS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 860})


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_staff_sets_up_two_factor_then_signs_in_with_a_code(page, settings, language):
    settings.MFA_REQUIRED_FOR_STAFF = True
    bd = UserFactory(role=Role.BD, email=f"mfa-{language}@vendor.test")
    problems = watch_csp(page)
    page.goto("/login/")
    if language == "en":
        page.click("[data-testid=language-switcher] button[data-lang=en]")
        page.wait_for_load_state()
    page.fill("input[name=username]", bd.email)
    page.fill("input[name=password]", "pw-Secret-123")
    page.click("[data-testid=login-submit]")
    page.wait_for_url("**/security/2fa/setup/**")
    assert page.locator("[data-testid=mfa-qr] svg").is_visible()
    _shoot(page, f"mfa-setup-{language}")
    device = TOTPDevice.objects.get(user=bd, confirmed=False)
    page.fill("input[name=code]", totp_code(device))
    page.click("[data-testid=mfa-confirm]")
    assert page.locator("[data-testid=recovery-codes] li").count() == 10
    _shoot(page, f"mfa-recovery-codes-{language}")
    page.click("[data-testid=codes-done]")
    page.wait_for_url("**/")
    assert page.locator("[data-testid=workspace-title]").count() == 1

    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url("**/login/**")
    page.fill("input[name=username]", bd.email)
    page.fill("input[name=password]", "pw-Secret-123")
    page.click("[data-testid=login-submit]")
    page.wait_for_url("**/security/2fa/verify/**")
    _shoot(page, f"mfa-verify-{language}")
    # The setup code's time step is used; the next sign-in takes a code of a later step.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    page.fill("input[name=code]", totp_code(device))
    page.check("input[name=trust]")
    page.click("[data-testid=mfa-verify]")
    page.wait_for_url("**/")
    assert page.locator("[data-testid=workspace-title]").count() == 1
    page.goto("/security/")
    assert page.locator("[data-testid=session-list] tr[data-current]").count() == 1
    _shoot(page, f"security-overview-{language}")
    assert problems == []


def test_locked_account_sees_the_message_on_the_login_page(page):
    user = UserFactory(email="locked@partner.test")
    for _ in range(10):
        page.goto("/login/")
        page.fill("input[name=username]", user.email)
        page.fill("input[name=password]", "wrong")
        page.click("[data-testid=login-submit]")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", "pw-Secret-123")
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state()
    assert "登录失败次数过多" in page.inner_text("[data-testid=form-errors]")
    assert "/login/" in page.url
    _shoot(page, "login-locked-zh-hans")
