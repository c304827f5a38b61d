"""Every menu page has a help entry (issue 19 item 3): for every role and partner-type
combination, each menu entry the user sees names a published entry in both languages, the
"Why is a menu missing?" page links it, and the link opens for that user; searching the
help center for a menu's Chinese name finds its entry. Numbers come from the rules."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from partner_center.accounts.permissions import PartnerType, Role
from partner_center.helpcenter.facts import FACTS, PLACEHOLDER, render_facts
from partner_center.helpcenter.models import FAQEntry
from partner_center.helpcenter.selectors import faq_entries, menu_explanations
from partner_center.menus import all_entries
from tests.factories import PartnerFactory, UserFactory, partner_user

pytestmark = pytest.mark.django_db

T = PartnerType
PARTNER_TYPES = {
    "solution-provider": [T.SOLUTION_PROVIDER],
    "distributor": [T.DISTRIBUTOR],
    "reseller": [T.RESELLER],
    "solution-provider-and-reseller": [T.SOLUTION_PROVIDER, T.RESELLER],
    "software-path-only": [T.SOFTWARE],
}
COMBINATIONS = [
    *(
        (f"{role}/{name}{'/may-move-money' if grant else ''}", role, types, grant)
        for name, types in PARTNER_TYPES.items()
        for role, grant in (
            (Role.PARTNER_ADMIN, False),
            (Role.PARTNER_MEMBER, False),
            (Role.PARTNER_MEMBER, True),
        )
    ),
    ("bd", Role.BD, None, False),
    ("cert-specialist", Role.CERT_SPECIALIST, None, False),
    ("customer", Role.CUSTOMER, None, False),
    ("admin", Role.ADMIN, None, False),
]


def make_user(role, types, grant):
    if types is not None:
        partner = PartnerFactory(types=types, pce=True)
        return partner_user(partner, role, can_move_money=grant)
    if role == Role.ADMIN:
        return UserFactory(role=role, is_staff=True, is_superuser=True)
    return UserFactory(role=role)


def menu_of(user):
    """The menu entries `user` sees: the menu definition filtered as the menu builds it."""
    seen = []
    for entry in all_entries():
        try:
            reverse(entry.url_name)
        except NoReverseMatch:  # pragma: no cover - an app that is not installed
            continue
        if entry.capability.allows(user):
            seen.append(entry)
    return seen


def assert_bilingual(slug):
    entry = FAQEntry.objects.filter(slug=slug, is_published=True).first()
    assert entry is not None, f"no published help entry {slug}"
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for text in (entry.question, entry.answer, entry.link_label):
                assert text.strip(), (slug, language)
                assert not PLACEHOLDER.search(text), (slug, language, text)
    return entry


@pytest.mark.parametrize(
    ("role", "types", "grant"), [c[1:] for c in COMBINATIONS], ids=[c[0] for c in COMBINATIONS]
)
def test_every_menu_entry_has_its_help_linked_and_open(role, types, grant, login):
    user = make_user(role, types, grant)
    seen = menu_of(user)
    assert seen, "every role has menus"
    client = login(user)
    for language in ("zh-hans", "en"):
        html = client.get(reverse("helpcenter:menus"), HTTP_ACCEPT_LANGUAGE=language)
        assert html.status_code == 200
        page = html.content.decode()
        for entry in seen:
            assert entry.help_slug, f"{entry.url_name} names no help entry"
            assert_bilingual(entry.help_slug)
            url = reverse("helpcenter:entry", args=[entry.help_slug])
            assert f'href="{url}" data-menu-help="{entry.help_slug}"' in page, entry.url_name
    for slug in {e.help_slug for e in seen}:
        url = reverse("helpcenter:entry", args=[slug])
        for language in ("zh-hans", "en"):
            opened = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert opened.status_code == 200, (slug, language)
            assert "{" not in opened.context["entry"].answer


def test_the_combinations_reach_every_menu_entry():
    """The walk above covers the whole menu definition: no entry is left unseen."""
    seen = set()
    for _name, role, types, grant in COMBINATIONS:
        seen |= {(e.section, e.url_name) for e in menu_of(make_user(role, types, grant))}
    assert seen == {(e.section, e.url_name) for e in all_entries()}


def test_every_menu_entry_names_a_published_bilingual_entry():
    entries = all_entries()
    assert len(entries) >= 50
    for entry in entries:
        assert entry.help_slug, entry.url_name
        help_entry = assert_bilingual(entry.help_slug)
        assert help_entry.link_url == reverse(entry.url_name), entry.url_name


@pytest.mark.parametrize("entry", all_entries(), ids=lambda e: f"{e.section}:{e.url_name}")
def test_searching_a_menus_chinese_name_finds_its_entry(entry):
    assert connection.vendor == "postgresql"
    with translation.override("zh-hans"):
        name = str(entry.label)
        found = [e.slug for e in faq_entries(query=name)]
    assert entry.help_slug in found, (name, found[:5])


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("HO 待办", "page-ho-inbox"),
        ("批量导入 PO", "page-po-import"),
        ("HO 画像", "page-ho-profile"),
        ("待审批", "page-money-requests"),
        ("Webhook", "page-webhooks"),
    ],
)
def test_a_page_name_nothing_else_answers_finds_the_page_first(query, slug):
    assert [e.slug for e in faq_entries(query=query)][0] == slug


def test_a_questions_answer_ranks_above_a_page_that_mentions_the_same_words():
    found = [e.slug for e in faq_entries(query="HO 超时")]
    assert found[0] == "ho-accept-sla"
    assert {"page-ho-inbox", "page-ho-pool"} <= set(found)  # still found, below it


@pytest.mark.parametrize("entry", all_entries(), ids=lambda e: f"{e.section}:{e.url_name}")
def test_the_substring_fallback_finds_it_too(entry, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")  # the demo's path
    with translation.override("zh-hans"):
        found = [e.slug for e in faq_entries(query=str(entry.label))]
    assert entry.help_slug in found


@pytest.mark.parametrize("entry", all_entries(), ids=lambda e: f"{e.section}:{e.url_name}")
def test_searching_a_menus_english_name_finds_its_entry(entry):
    with translation.override("en"):
        found = [e.slug for e in faq_entries(query=str(entry.label))]
    assert entry.help_slug in found


def test_the_menus_page_reads_the_help_entries_in_one_query(owner, django_assert_num_queries):
    owner.partner.type_codes  # noqa: B018 - the user's partner is loaded with the request
    with django_assert_num_queries(1):
        sections = menu_explanations(owner)
    assert all(e["help"] for s in sections for e in s["entries"])


def test_an_unpublished_entry_is_not_linked(owner, login):
    FAQEntry.objects.filter(slug="page-invoices").update(is_published=False)
    page = login(owner).get(reverse("helpcenter:menus")).content.decode()
    assert 'data-menu-help="page-invoices"' not in page
    assert 'data-menu-help="page-partner-bill"' in page


class TestNumbersComeFromTheRules:
    def test_deadlines_follow_the_constants(self, monkeypatch, owner, login):
        from opportunities.models import Opportunity
        from opportunities.transitions import SLA_WORKING_DAYS

        entry = FAQEntry.objects.get(slug="page-opportunities")
        assert "{po_sla_days}" in entry.answer_en  # stored as a placeholder, not a number
        with translation.override("en"):
            assert f"within {SLA_WORKING_DAYS[Opportunity.Kind.PO]} working days" in entry.answer
        monkeypatch.setitem(SLA_WORKING_DAYS, Opportunity.Kind.PO, 12)
        monkeypatch.setitem(SLA_WORKING_DAYS, Opportunity.Kind.HO, 4)
        with translation.override("en"):
            assert "within 12 working days" in entry.answer
        with translation.override("zh-hans"):
            assert "12 个工作日" in entry.answer
        page = login(owner).get(
            reverse("helpcenter:entry", args=["page-ho-inbox"]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
        assert "4 个工作日" in page.content.decode()
        api = login(owner).get("/api/v1/help/entries/page-opportunities/").json()
        assert "12 个工作日" in api["answer_zh"]
        assert "within 12 working days" in api["answer_en"]

    def test_every_placeholder_of_the_seeded_entries_is_known(self):
        for entry in FAQEntry.objects.all():
            for text in (entry.question_zh, entry.answer_zh, entry.question_en, entry.answer_en):
                assert set(PLACEHOLDER.findall(text)) <= set(FACTS), entry.slug
        assert all(str(value()) for value in FACTS.values())

    def test_render_leaves_unknown_names_alone(self):
        assert render_facts("{nope} and {tax_rate_percent}%") == "{nope} and 6%"

    def test_the_index_holds_the_numbers(self):
        entry = FAQEntry.objects.get(slug="page-po-import")
        entry.save()
        assert "5000" in entry.index_answer.split()
        assert "po_import_rows" not in entry.index_answer
        assert "page-po-import" in [e.slug for e in faq_entries(query="5000 行")]

    def test_admin_refuses_an_unknown_placeholder(self):
        from django.core.exceptions import ValidationError

        entry = FAQEntry.objects.get(slug="page-ho-inbox")
        entry.answer_en += " {ho_days}"
        with pytest.raises(ValidationError) as caught:
            entry.full_clean()
        assert "answer_en" in caught.value.message_dict


def test_the_migration_is_reversible():
    migration = import_module("partner_center.helpcenter.migrations.0006_menu_pages")
    slugs = [e[0] for e in migration.ENTRIES]
    before = FAQEntry.objects.count()
    migration.unseed(apps, None)
    assert not FAQEntry.objects.filter(slug__in=slugs).exists()
    assert FAQEntry.objects.filter(slug="why-menu-missing").exists()  # older entries stay
    migration.seed(apps, None)
    migration.seed(apps, None)  # adds only what is missing
    assert FAQEntry.objects.count() == before
    assert "po_sla_days" not in FAQEntry.objects.get(slug="page-opportunities").index_answer
