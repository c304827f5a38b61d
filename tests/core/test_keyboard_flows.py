"""Keyboard only, in Chromium: after signing in and opening the first page, a partner creates
and submits a PO and accepts an HO with Tab, Shift+Tab, Enter, Space, arrow keys and typing
(no clicks, fills, checks or option picks). Every element Tab reaches on those pages shows a
visible focus indicator (an outline or a box shadow that is not none or zero)."""

from __future__ import annotations

import re

import pytest

from opportunities.models import Opportunity
from partner_center.accounts.permissions import PartnerType, Role
from tests.factories import PartnerFactory, UserFactory, partner_user
from tests.opportunities.conftest import make_ho

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the focused element looks like: enough to name it in a failure, and its focus style.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  return {
    name: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.name ? '[name=' + el.name + ']' : '') +
      (el.dataset.testid ? '[data-testid=' + el.dataset.testid + ']' : '') +
      ' "' + (el.innerText || el.value || '').trim().slice(0, 30) + '"',
    outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, boxShadow: s.boxShadow,
  };
}"""
NONZERO = re.compile(r"(?<![\d.])(?:[1-9]\d*(?:\.\d+)?|0\.\d*[1-9]\d*)px")


def visible_focus(style: dict) -> bool:
    outline = style["outlineStyle"] != "none" and float(style["outlineWidth"][:-2] or 0) > 0
    shadow = style["boxShadow"] != "none" and bool(NONZERO.search(style["boxShadow"]))
    return outline or shadow


class Keyboard:
    """Tab through a page as a keyboard user, checking every stop's focus indicator."""

    def __init__(self, page):
        self.page = page
        self.stops: list[str] = []
        self.invisible: list[str] = []

    def press(self, key: str) -> dict | None:
        self.page.keyboard.press(key)
        if key == "Enter":  # may open another page
            return None
        focused = self.page.evaluate(FOCUSED)
        if key in ("Tab", "Shift+Tab") and focused:
            where = f"{self.page.url.split('//')[1].split('/', 1)[1]} {focused['name']}"
            self.stops.append(where)
            if not visible_focus(focused):
                self.invisible.append(f"{where}: {focused}")
        return focused

    def matches(self, selector: str) -> bool:
        return self.page.evaluate(
            "s => !!document.activeElement && document.activeElement.matches(s)", selector
        )

    def tab_to(self, selector: str, limit: int = 120) -> None:
        """Tab forward until `selector` has the focus (failing if it never does)."""
        for _ in range(limit):
            self.press("Tab")
            if self.matches(selector):
                return
        raise AssertionError(f"Tab never reaches {selector} on {self.page.url}")

    def type_into(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.type(text)

    def choose(self, selector: str, value: str) -> None:
        """A closed select: arrow down to the option (Chromium changes it in place)."""
        self.tab_to(selector)
        for _ in range(40):
            if self.page.evaluate("() => document.activeElement.value") == value:
                return
            self.press("ArrowDown")
        raise AssertionError(f"ArrowDown never picks {value} in {selector}")

    def tick(self, selector: str) -> None:
        self.tab_to(selector)
        self.press("Space")
        assert self.page.evaluate("() => document.activeElement.checked"), selector

    def activate(self, selector: str) -> None:
        """Tab to a link or button and press Enter, waiting for the page it opens."""
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.press("Enter")


@pytest.fixture
def partner_admin(db):
    partner = PartnerFactory(
        name="键盘伙伴有限公司", types=[PartnerType.SOLUTION_PROVIDER], pce=True
    )
    return partner_user(partner, Role.PARTNER_ADMIN, email="keys@partner.test")


@pytest.fixture
def keyboard(page, browser_login, partner_admin):
    # Transitions off (as for people who ask for less motion), so the focus style read right
    # after a key press is the final one.
    page.emulate_media(reduced_motion="reduce")
    browser_login(page, partner_admin)
    keys = Keyboard(page)
    yield keys
    print(f"\n{len(keys.stops)} Tab stops checked")
    assert not keys.invisible, "no visible focus indicator:\n" + "\n".join(keys.invisible)


def test_create_and_submit_a_po_with_the_keyboard_only(page, keyboard):
    page.goto("/opportunities/")
    keyboard.activate("[data-testid=new-po]")
    keyboard.type_into("input[name=customer_name]", "江南智造装备股份有限公司")
    keyboard.choose("select[name=customer_industry]", "manufacturing")
    keyboard.type_into("input[name=contact_name]", "周建国")
    keyboard.type_into("input[name=contact_phone]", "13912345678")
    keyboard.type_into("input[name=project_name]", "MES 系统上云")
    keyboard.tick("input[name=products][value=ecs]")
    keyboard.tick("input[name=products][value=rds]")
    keyboard.type_into("input[name=amount]", "680000")
    # A date field is typed in the browser's own order (Chromium's en-US: month, day, year,
    # each part moving on by itself), whatever the page's language.
    keyboard.type_into("input[name=expected_close_date]", "12312026")
    assert page.evaluate("() => document.activeElement.value") == "2026-12-31"
    keyboard.activate("[data-testid=save]")
    po = Opportunity.objects.get()
    assert page.url.endswith(f"/opportunities/{po.pk}/"), page.url
    assert po.state == Opportunity.State.DRAFT

    keyboard.activate("[data-testid=submit-link]")
    keyboard.tick("input[name=consent_confirmed]")
    keyboard.choose("select[name=consent_method]", "email")
    keyboard.type_into("textarea[name=consent_note]", "客户邮件同意")
    # Back and forth: Shift+Tab returns to the note, Tab leaves it again.
    keyboard.press("Shift+Tab")
    keyboard.press("Tab")
    keyboard.activate("[data-testid=confirm-submit]")
    assert page.get_attribute("[data-testid=state]", "data-state") == "submitted"
    po.refresh_from_db()
    assert po.state == Opportunity.State.SUBMITTED and po.consent_method == "email"


def test_accept_an_ho_with_the_keyboard_only(page, keyboard, partner_admin):
    bd = UserFactory(role=Role.BD, email="bd-keys@vendor.test")
    ho = make_ho(bd, partner_admin.partner)
    dialogs: list[str] = []

    def confirm(dialog):  # a native confirmation takes the focus; Enter would accept it
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", confirm)
    page.goto("/opportunities/inbox/")
    keyboard.activate(f"[data-testid=opportunity-row][data-id='{ho.pk}'] a")
    assert page.url.endswith(f"/opportunities/{ho.pk}/")
    keyboard.activate("[data-testid=accept]")
    assert page.get_attribute("[data-testid=state]", "data-state") == "accepted"
    ho.refresh_from_db()
    assert ho.state == Opportunity.State.ACCEPTED
