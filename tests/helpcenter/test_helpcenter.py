import pytest
from django.urls import NoReverseMatch, reverse

from partner_center.accounts.permissions import PartnerType, Role, capability
from partner_center.helpcenter.models import FAQEntry
from partner_center.helpcenter.selectors import faq_entries, menu_explanations
from partner_center.menus import MenuEntry, menu_for
from tests.factories import PartnerFactory, partner_user
from tests.helpers import api_client, queries_with_1_and_50

pytestmark = pytest.mark.django_db

SEEDED_TOPICS = [
    "what-is-pce",
    "pce-who-can-join",
    "pce-how-to-apply",
    "pce-benefits",
    "po-ho-what",
    "po-verification-sla",
    "ho-accept-sla",
    "duplicate-rules",
    "incentive-flow",
    "tax-rate",
    "certification-attachments",
    "member-invitation-checks",
    "deregistration",
    "distributor-resellers",
    "why-menu-missing",
]


def slugs(qs):
    return [e.slug for e in qs]


class TestSeededEntries:
    def test_topics_exist_in_both_languages(self):
        entries = {e.slug: e for e in FAQEntry.objects.all()}
        for slug in SEEDED_TOPICS:
            entry = entries[slug]
            assert entry.question_zh and entry.answer_zh and entry.question_en and entry.answer_en
            assert entry.is_published

    def test_facts(self):
        assert "10" in FAQEntry.objects.get(slug="po-verification-sla").answer_en
        assert "3 working days" in FAQEntry.objects.get(slug="ho-accept-sla").answer_en
        assert "6%" in FAQEntry.objects.get(slug="tax-rate").answer_zh

    def test_every_entry_links_to_a_page(self):
        for entry in FAQEntry.objects.all():
            assert entry.link_url.startswith("/"), entry.slug
            if entry.link_url_name:
                try:
                    reverse(entry.link_url_name)
                except NoReverseMatch:  # pragma: no cover - the assertion explains
                    pytest.fail(f"{entry.slug}: {entry.link_url_name} does not resolve")

    def test_index_is_built(self):
        entry = FAQEntry.objects.get(slug="member-invitation-checks")
        words = entry.index_question.split()
        assert {"邀", "邀请", "inviting"} <= set(words)  # characters, pairs, whole words


class TestSearch:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("邀请", "member-invitation-checks"),
            ("税率", "tax-rate"),
            ("发票 税率", "tax-rate"),
            ("申请发票", "invoice-request"),
            ("注销", "deregistration"),
            ("invitation", "member-invitation-checks"),
            ("invited members", "member-invitation-checks"),
            ("tax rate", "tax-rate"),
            ("deregister", "deregistration"),
            ("PCE 权益", "pce-benefits"),
            ("HO 3 工作日", "ho-accept-sla"),
        ],
    )
    def test_finds_the_entry_first(self, query, expected):
        assert slugs(faq_entries(query=query))[0] == expected

    def test_all_words_must_match(self):
        assert slugs(faq_entries(query="发票 注销")) == []
        assert slugs(faq_entries(query="zzqx")) == []

    def test_category_filter(self):
        pce = slugs(faq_entries(category="pce"))
        assert "what-is-pce" in pce and "tax-rate" not in pce

    def test_admin_edits_are_searchable(self):
        entry = FAQEntry.objects.get(slug="tax-rate")
        entry.keywords = "增值税专用发票 VAT"
        entry.save()
        assert "tax-rate" in slugs(faq_entries(query="增值税"))


class TestPages:
    def test_index_and_search(self, owner, login):
        client = login(owner)
        html = client.get(reverse("helpcenter:index"), {"q": "邀请"}).content.decode()
        assert 'data-entry="member-invitation-checks"' in html
        empty = client.get(reverse("helpcenter:index"), {"q": "zzqx"}).content.decode()
        assert 'data-testid="empty-state"' in empty

    def test_entry_in_each_language_links_to_the_page(self, owner, login):
        client = login(owner)
        url = reverse("helpcenter:entry", args=["deregistration"])
        zh = client.get(url).content.decode()
        assert "如何注销伙伴账号" in zh and f'href="{reverse("programs:deregister")}"' in zh
        en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "How do I deregister the partner account?" in en

    def test_unpublished_entry_is_hidden(self, owner, login):
        FAQEntry.objects.filter(slug="tax-rate").update(is_published=False)
        client = login(owner)
        assert client.get(reverse("helpcenter:entry", args=["tax-rate"])).status_code == 404
        assert "tax-rate" not in slugs(faq_entries(query="税率"))

    def test_every_role_reads_help(self, bd, customer_user, login):
        for user in (bd, customer_user):
            assert login(user).get(reverse("helpcenter:index")).status_code == 200

    def test_anonymous_is_sent_to_login(self, client):
        assert client.get(reverse("helpcenter:index")).status_code == 302

    def test_admin_edits_entries(self, admin_user, login):
        client = login(admin_user)
        entry = FAQEntry.objects.get(slug="tax-rate")
        url = reverse("admin:helpcenter_faqentry_change", args=[entry.pk])
        assert client.get(url).status_code == 200
        data = {
            f: getattr(entry, f)
            for f in (
                "slug",
                "category",
                "order",
                "question_zh",
                "answer_zh",
                "question_en",
                "answer_en",
                "link_url_name",
                "link_path",
                "link_label_zh",
                "link_label_en",
            )
        }
        data.update(keywords="专票", is_published="on")
        assert client.post(url, data).status_code == 302
        assert "tax-rate" in slugs(faq_entries(query="专票"))
        data.update(link_url_name="no:such-page")
        response = client.post(url, data)
        assert (
            response.status_code == 200
            and "link_url_name" in response.context["adminform"].form.errors
        )


class TestApi:
    def test_search_and_language(self, owner):
        api = api_client(owner)
        body = api.get("/api/v1/help/entries/", {"q": "税率"}, HTTP_ACCEPT_LANGUAGE="en").json()
        first = body["results"][0]
        assert first["slug"] == "tax-rate" and first["question"] == first["question_en"]
        detail = api.get("/api/v1/help/entries/what-is-pce/").json()
        assert detail["link_url"] == reverse("programs:pce")


def _portal_entries(n):
    FAQEntry.objects.filter(category="portal").delete()
    for i in range(n):
        FAQEntry.objects.create(
            slug=f"portal-{i}",
            category="portal",
            question_zh=f"问题{i}",
            answer_zh="答案",
            question_en=f"Question {i}",
            answer_en="Answer",
        )


def test_index_page_query_count(owner, login):
    client = login(owner)

    assert queries_with_1_and_50(
        _portal_entries, client.get, reverse("helpcenter:index"), {"category": "portal"}
    ) == (5, 5)


def test_api_query_count(owner):
    api = api_client(owner)
    assert queries_with_1_and_50(
        _portal_entries, api.get, "/api/v1/help/entries/", {"category": "portal"}
    ) == (2, 2)


class TestMenusByType:
    """A partner sees the menus its types and role allow; the help center says why not."""

    reseller_menu = MenuEntry(
        "customers",
        "Resellers",
        "helpcenter:index",
        capability("x.resellers", {Role.PARTNER_ADMIN}, partner_types={PartnerType.DISTRIBUTOR}),
        why_hidden="Only distributors manage resellers.",
    )
    incentive_menu = MenuEntry(
        "incentives",
        "Incentives",
        "helpcenter:menus",
        capability(
            "x.incentives",
            {Role.PARTNER_ADMIN, Role.PARTNER_MEMBER},
            partner_types={PartnerType.SOLUTION_PROVIDER, PartnerType.DISTRIBUTOR},
        ),
    )

    @pytest.fixture
    def entries(self, monkeypatch):
        entries = (self.reseller_menu, self.incentive_menu)
        monkeypatch.setattr("partner_center.menus.all_entries", lambda: entries)
        return entries

    def visible(self, user):
        return {e["label"] for s in menu_for(user) for e in s["entries"]}

    def test_menus_follow_the_partner_types(self, entries, owner):
        assert self.visible(owner) == {"Incentives"}  # a solution provider, no resellers
        distributor = partner_user(PartnerFactory(types=[PartnerType.DISTRIBUTOR]))
        assert self.visible(distributor) == {"Resellers", "Incentives"}
        learning = partner_user(PartnerFactory(types=[PartnerType.LEARNING]))
        assert self.visible(learning) == set()

    def test_help_explains_why(self, entries, owner):
        explained = {e["label"]: e for s in menu_explanations(owner, entries) for e in s["entries"]}
        assert explained["Incentives"]["visible"]
        reasons = " ".join(explained["Resellers"]["reasons"])
        assert (
            "Distributor (tier 1)" in reasons and "Only distributors manage resellers." in reasons
        )

    def test_menus_page(self, owner, login):
        html = login(owner).get(reverse("helpcenter:menus"), HTTP_ACCEPT_LANGUAGE="en").content
        html = html.decode()
        assert 'data-menu-explained="programs:pce_queue" data-visible="0"' in html
        assert "BD staff decide PCE applications." in html
        assert 'data-menu-explained="members:list" data-visible="1"' in html


def test_answer_formatting_escapes_and_makes_lists():
    from partner_center.helpcenter.templatetags.help_tags import answer_html

    html = answer_html("Intro <b>\n\n- one\n- two & more\n\n2. second\n3. third")
    assert html == (
        "<p>Intro &lt;b&gt;</p><ul><li>one</li><li>two &amp; more</li></ul>"
        '<ol start="2"><li>second</li><li>third</li></ol>'
    )
