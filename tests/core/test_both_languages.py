"""Every page a role reaches from its menu reads in one language: no English words on the
Chinese page, no Chinese on the English page (outside user data), and no filter menu offers
the same choice twice ("全部" / "全部").

The data is seeded once for the module with neutral user data (names like "P-1", e-mails
stripped), so whatever English or Chinese remains on a page is the portal's own wording.
Brand names and abbreviations that Chinese pages use as they are sit in ALLOWED."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from partner_center.accounts.permissions import PartnerType, Role
from partner_center.menus import menu_for
from tests.factories import PartnerFactory, UserFactory, partner_user

pytestmark = pytest.mark.django_db  # the world below is built once, in the module's transaction

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]")
# Chinese sentences joined with the English habit of a space: "客户。 最新协议".
SPACED = re.compile(r"[。，；：！？][ \t]+[\u3400-\u9fff]")
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z’'-]*[A-Za-z](?![A-Za-z0-9_])")
# Things that are not words of a sentence: e-mail addresses, URLs and paths, file names,
# shortened random tokens ("…7OD-hU").
NOT_TEXT = re.compile(
    r"…[\w-]+|[\w-]+…|[\w.+-]+@[\w.-]+|https?://\S+|(?<!\w)/[\w/.?=&%-]+|\b[\w-]+\.(?:pdf|csv|xlsx|png|jpg)\b"
)
# Used as they are on Chinese pages: brand and product names, abbreviations, units.
ALLOWED = {
    "PO",
    "HO",
    "PCE",
    "API",
    "CSV",
    "ID",
    "BD",
    "PDM",
    "CRM",
    "SLA",
    "PDF",
    "URL",
    "ISV",
    "MSP",
    "SI",
    "IT",
    "SaaS",
    "PaaS",
    "IaaS",
    "ECS",
    "RDS",
    "OSS",
    "CDN",
    "SLB",
    "VPC",
    "AI",
    "GPU",
    "Excel",
    "UTC",
    "CNY",
    "MFA",
    "TOTP",
    "SMS",
    "QR",
    "OK",
    "USCC",
    "HTTP",
    "JSON",
    "Token",
    "PC",
    "IP",
    "XLSX",
    "YYYY-MM",
    # Terms Chinese pages keep in English (product and protocol names).
    "Webhook",
    "ERP",
    "POST",
    "ELB",
    "GaussDB",
    "MRS",
    "DWS",
    "ModelArts",
}
# Phrases the Chinese help entries quote in English on purpose (the PCE expansion, the file
# types of certification attachments).
QUOTED = re.compile(r"Partner Customer Engagement|\b(?:download|jpg|jpeg|bmp|png|gif|pdf)\b")
ALLOWED_EN_CJK = {"中文"}  # the language switch names itself

SKIP_TAGS = {"script", "style", "svg", "template", "code", "pre"}
VOID = {"input", "br", "img", "meta", "link", "hr", "source", "area", "col", "wbr"}
TEXT_ATTRS = ("title", "placeholder", "aria-label", "alt")


class _Text(HTMLParser):
    """Visible text and labelled attributes of a page, minus subtrees in another language
    (`lang="…"`, e.g. the language switch) and code."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.skip = 0
        self.stack: list[bool] = []
        self.parts: list[str] = []
        self.selects: list[list[str]] = []
        self.in_option = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        other_lang = attrs.get("lang") and not attrs["lang"].startswith(self.language[:2])
        skipping = tag in SKIP_TAGS or bool(other_lang)
        if tag not in VOID:
            self.stack.append(skipping)
            self.skip += skipping
        if self.skip or skipping:
            return
        for name in TEXT_ATTRS:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])
        if tag == "select":
            self.selects.append([])
        if tag == "option":
            self.in_option = True
            self.selects and self.selects[-1].append("")

    def handle_endtag(self, tag):
        if tag in VOID or not self.stack:
            return
        self.skip -= self.stack.pop()
        if tag == "option":
            self.in_option = False

    def handle_data(self, data):
        if self.skip:
            return
        self.parts.append(data)
        if self.in_option and self.selects:
            self.selects[-1][-1] += data.strip()


def findings(html: str, language: str) -> list[str]:
    parser = _Text(language)
    parser.feed(html)
    found = []
    for part in parser.parts:
        text = NOT_TEXT.sub(" ", part)
        if language == "en":
            chinese = CJK.findall(text)
            if chinese and text.strip() not in ALLOWED_EN_CJK:
                found.append(f"Chinese: {text.strip()[:80]!r}")
        else:
            words = [w for w in WORD.findall(QUOTED.sub(" ", text)) if w not in ALLOWED]
            if words:
                found.append(f"English {words}: {' '.join(text.split())[:80]!r}")
            if SPACED.search(text):
                found.append(f"space after full-width punctuation: {text.strip()[:80]!r}")
    for options in parser.selects:
        seen = [o for o in options if o]
        twice = sorted({o for o in seen if seen.count(o) > 1})
        if twice:
            found.append(f"filter choice offered twice: {twice}")
    return found


# ---- The world: one partner per type, their users, some rows on the lists --------------

NEUTRAL = iter(range(100, 10**6))


def _n(prefix: str) -> str:
    return f"{prefix}-{next(NEUTRAL)}"


def _build():
    from tests.customers.conftest import associate, make_customer, open_account
    from tests.opportunities.conftest import make_ho, make_po

    users = {}
    bd = UserFactory(role=Role.BD, email="bd@v1.cn", full_name=_n("B"))
    users["bd"] = bd
    users["specialist"] = UserFactory(
        role=Role.CERT_SPECIALIST, email="cert@v1.cn", full_name=_n("S")
    )
    partners = {}
    for code in PartnerType.values:
        extra = {}
        if code == PartnerType.RESELLER:
            extra["parent_distributor"] = partners[PartnerType.DISTRIBUTOR]
        partners[code] = PartnerFactory(name=_n("P"), types=[code], pce=True, **extra)
        users[f"admin:{code}"] = partner_user(
            partners[code],
            Role.PARTNER_ADMIN,
            email=f"a-{code[:4]}@p1.cn",
            full_name=_n("U"),
            can_move_money=True,
        )
    sp = partners[PartnerType.SOLUTION_PROVIDER]
    owner = users[f"admin:{PartnerType.SOLUTION_PROVIDER}"]
    users["member"] = partner_user(sp, Role.PARTNER_MEMBER, email="m@p1.cn", full_name=_n("U"))
    neutral = {
        "customer_name": _n("C"),
        "contact_name": _n("N"),
        "project_name": _n("X"),
        "description": "",
    }
    with translation.override("en"):
        make_po(owner, state="submitted", bd=bd, **neutral)
        make_po(owner, state="draft", bd=bd, **{**neutral, "customer_name": _n("C")})
        make_ho(bd, sp, customer_name=_n("C"), contact_name=_n("N"), project_name=_n("X"))
        customer = make_customer(name=_n("C"), email="c@c1.cn", account_name=f"a{next(NEUTRAL)}")
        open_account(associate(owner, customer), owner, amount="100.00")
        dist_admin = users[f"admin:{PartnerType.DISTRIBUTOR}"]
        other = make_customer(name=_n("C"), email="c2@c1.cn", account_name=f"a{next(NEUTRAL)}")
        open_account(associate(dist_admin, other), dist_admin, amount="10.00")
    users["customer"] = customer.user
    customer.user.full_name = _n("U")
    customer.user.save(update_fields=["full_name"])
    return users


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


ROLES = [
    "bd",
    "specialist",
    "member",
    "customer",
    *(f"admin:{code}" for code in PartnerType.values),
]
EXTRA_PAGES = ["home", "notifications:list", "notifications:preferences", "security:overview"]


def _pages(user) -> list[str]:
    urls = {entry["url"] for section in menu_for(user) for entry in section["entries"]}
    return sorted(urls | {reverse(name) for name in EXTRA_PAGES})


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_page_reads_in_one_language(world, role, django_db_blocker):
    user = world[role]
    problems = []
    with django_db_blocker.unblock():
        client = Client()
        client.force_login(user)
        for language in ("zh-hans", "en"):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            with translation.override(language):
                pages = _pages(user)
            for url in pages:
                response = client.get(url, follow=True)
                assert response.status_code == 200, (role, url, response.status_code)
                problems += [
                    f"{language} {url}: {f}" for f in findings(response.content.decode(), language)
                ]
    assert not problems, f"{role}: {len(problems)} finding(s)\n" + "\n".join(sorted(set(problems)))


def test_the_checker_sees_what_it_should():
    page = (
        '<p>待审核 Pending</p><input placeholder="Search"><span lang="en">EN</span>'
        '<select><option value="">全部</option><option value="">全部</option></select>'
        "<p>PO #12 · a1@p1.cn · /opportunities/12/</p><script>var x = 'words';</script>"
    )
    found = findings(page, "zh-hans")
    assert any("Pending" in f for f in found) and any("Search" in f for f in found)
    assert any("twice" in f for f in found)
    assert not any("EN" in f or "words" in f or "PO" in f or "cn" in f for f in found)
    assert findings("<p>Pending 待审核</p>", "en") == ["Chinese: 'Pending 待审核'"]
