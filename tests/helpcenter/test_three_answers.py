"""The three answers issue [4] adds (迁移, 账号过期, 能力开放): in both languages, linking to a
page, found by help search on PostgreSQL and on the demo's (SQLite) substring path."""

import pytest
from django.db import connection
from django.urls import reverse

from partner_center.helpcenter.models import FAQEntry
from partner_center.helpcenter.selectors import faq_entries

pytestmark = pytest.mark.django_db

ANSWERS = {
    "迁移": "customer-migration",
    "账号过期": "expired-account-reseller",
    "能力开放": "no-capability-opening-menu",
}


@pytest.mark.parametrize(("query", "slug"), ANSWERS.items())
def test_search_finds_the_answer_first_on_postgresql(query, slug):
    assert connection.vendor == "postgresql"
    assert [e.slug for e in faq_entries(query=query)][0] == slug


@pytest.mark.parametrize(("query", "slug"), ANSWERS.items())
def test_search_finds_the_answer_on_the_demos_path(query, slug, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")  # the substring fallback
    assert slug in [e.slug for e in faq_entries(query=query)]


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("migrate customer", "customer-migration"),
        ("expired reseller", "expired-account-reseller"),
        ("capability opening", "no-capability-opening-menu"),
    ],
)
def test_english_search(query, slug):
    assert slug in [e.slug for e in faq_entries(query=query)]


def test_answers_in_both_languages_with_their_pages():
    entries = {e.slug: e for e in FAQEntry.objects.filter(slug__in=ANSWERS.values())}
    assert set(entries) == set(ANSWERS.values())
    for entry in entries.values():
        assert entry.question_zh and entry.answer_zh and entry.question_en and entry.answer_en
        assert entry.link_url.startswith("/")
        assert entry.link_label_zh and entry.link_label_en
    assert entries["customer-migration"].link_url == reverse("customers:list")
    assert "解除关联" in entries["customer-migration"].answer_zh
    assert "invitation link" in entries["customer-migration"].answer_en
    assert entries["expired-account-reseller"].answer_en.startswith("No.")
    assert entries["no-capability-opening-menu"].link_url == reverse("helpcenter:menus")
    assert "/api/v1/" in entries["no-capability-opening-menu"].answer_zh


def test_the_help_page_search_shows_them(owner, login):
    client = login(owner)
    for query, slug in ANSWERS.items():
        page = client.get(reverse("helpcenter:index"), {"q": query})
        assert reverse("helpcenter:entry", args=[slug]) in page.content.decode(), query
    entry = client.get(reverse("helpcenter:entry", args=["customer-migration"]))
    assert entry.status_code == 200
    assert reverse("customers:list") in entry.content.decode()
