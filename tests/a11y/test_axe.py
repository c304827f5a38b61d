"""Accessibility walk: axe-core (from npm, `package.json`) over every page reachable from the
menu of every role of the demo world, in Chinese and English, at phone and desktop widths:
0 serious or critical violations (WCAG 2.1 A/AA rules). The pages covered are listed in the
failure message and printed with `-s`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from partner_center.accounts.models import User
from partner_center.accounts.permissions import Role

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = pytest.mark.django_db(transaction=True)

PERSONAS = [
    "admin@huayun.demo.local",  # solution provider, PCE member
    "member@huayun.demo.local",  # member
    "admin@dingsheng.demo.local",  # distributor
    "admin@qihang.demo.local",  # tier-2 reseller
    "bd@demo.local",
    "cert@demo.local",
    "customer",  # the first demo customer with a sign-in
]

RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
  });
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def _axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core is missing: run `npm ci` (the CI script does)")
        pytest.skip("axe-core is not installed (npm ci)")
    return AXE.read_text()


def _user(login: str) -> User:
    if login == "customer":
        return User.objects.filter(role=Role.CUSTOMER, customer_profile__isnull=False).first()
    return User.objects.get(email=login)


def _pages(user) -> list[str]:
    from partner_center.menus import menu_for

    with translation.override("en"):
        menu = menu_for(user)
    urls = ["/", "/todo/", "/search/?q=%E4%BA%91", "/notifications/"]
    urls += [entry["url"] for section in menu for entry in section["entries"]]
    return list(dict.fromkeys(urls))


@pytest.fixture
def demo_world(transactional_db):
    from partner_center.demo import load_all

    with translation.override("zh-hans"):
        load_all()


# (width, language): both languages at desktop width, Chinese (the first language of the
# portal's users) on a phone as well.
RUNS = [(1366, "zh-hans"), (1366, "en"), (390, "zh-hans")]


def test_no_serious_violations_on_any_menu_page(demo_world, live_server):
    import shutil

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's Chromium is not installed")
    axe = _axe_source()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    covered: list[str] = []
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for login in PERSONAS:
            user = _user(login)
            client = Client()
            client.force_login(user)
            for width, language in RUNS:
                context = browser.new_context(
                    base_url=live_server.url, viewport={"width": width, "height": 900}
                )
                host = live_server.url.split("//")[1].split(":")[0]
                context.add_cookies(
                    [
                        {
                            "name": "sessionid",
                            "value": client.cookies["sessionid"].value,
                            "domain": host,
                            "path": "/",
                        },
                        {"name": "django_language", "value": language, "domain": host, "path": "/"},
                    ]
                )
                page = context.new_page()
                for url in _pages(user):
                    response = page.goto(url)
                    status = response.status if response else 0
                    covered.append(f"{login} {language} {width} {url} {status}")
                    if status >= 400:
                        problems.append(f"{login} {language} {url}: HTTP {status}")
                        continue
                    page.evaluate(axe)
                    for v in page.evaluate(RUN_AXE):
                        problems.append(
                            f"{login} {language} {width} {url}: {v['impact']} {v['id']} "
                            f"({v['help']}) at {v['nodes']}"
                        )
                context.close()
        browser.close()
    print("\n".join(covered))
    if os.environ.get("AXE_REPORT"):
        Path(os.environ["AXE_REPORT"]).write_text("\n".join(problems + [""] + covered))
    assert not problems, "\n".join(problems) + f"\n\n{len(covered)} pages covered"
