"""Phone-first SLA lists (issue [8]): at 390 px the opportunity list, the HO inbox and BD's
review queue show every row's amount and deadline without sideways scrolling, in both
languages."""

import os

import pytest

from partner_center.accounts.permissions import PartnerType, Role
from tests.factories import PartnerFactory, UserFactory, partner_user
from tests.opportunities.conftest import make_ho, make_po

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390


@pytest.fixture
def people(db):
    partner = PartnerFactory(
        name="手机列表科技有限公司", types=[PartnerType.SOLUTION_PROVIDER], pce=True
    )
    owner = partner_user(partner, Role.PARTNER_ADMIN, email="phone-owner@partner.test")
    bd = UserFactory(role=Role.BD, email="phone-bd@vendor.test", full_name="BD 周")
    for n in range(3):
        make_po(
            owner,
            state="submitted",
            bd=bd,
            customer_name=f"长名称客户股份有限公司华东区域第{n}分公司",
            project_name="一个名字很长的数据中心迁移上云项目",
        )
        make_ho(bd, partner, customer_name=f"另一家名字很长的制造业集团有限公司{n}")
    return {"owner": owner, "bd": bd}


def check_rows(page, url, language):
    page.goto(url)
    if os.environ.get("SHOTS"):  # look at them: SHOTS=/tmp/shots bin/run-tests this file
        name = url.strip("/").replace("/", "_").replace("?", "_")
        page.screenshot(path=f"{os.environ['SHOTS']}/{name}-{language}.png", full_page=True)
    rows = page.locator("[data-testid=opportunity-row]")
    assert rows.count() >= 3, url
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll <= WIDTH, f"{url} {language}: the page scrolls sideways ({scroll} px)"
    for i in range(rows.count()):
        row = rows.nth(i)
        for cell in ("amount", "deadline"):
            box = row.locator(f"[data-testid={cell}]").bounding_box()
            assert box is not None, f"{url}: row {i} has no visible {cell}"
            assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (url, i, cell, box)


@pytest.mark.parametrize("language", ["zh-CN", "en-US"])
def test_sla_lists_fit_a_phone(page, browser_login, people, language):
    page.set_viewport_size({"width": WIDTH, "height": 800})
    page.set_extra_http_headers({"Accept-Language": language})
    browser_login(page, people["owner"])
    check_rows(page, "/opportunities/?view=all", language)
    check_rows(page, "/opportunities/inbox/", language)
    page.context.clear_cookies()
    browser_login(page, people["bd"])
    check_rows(page, "/opportunities/review/?view=all", language)
