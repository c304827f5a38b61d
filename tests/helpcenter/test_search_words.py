"""Search words (partner_center/search.py): the everyday word finds the glossary's term,
Chinese and Latin mixed, on PostgreSQL and on the demo's substring fallback alike."""

import re
from pathlib import Path

import pytest

from partner_center.helpcenter.models import FAQEntry
from partner_center.helpcenter.selectors import faq_entries
from partner_center.search import SYNONYMS, alternatives, text_q, tokens

pytestmark = pytest.mark.django_db

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"
FIELDS = ["question_zh", "answer_zh", "question_en", "answer_en", "keywords"]


def slugs(qs) -> list[str]:
    return [e.slug for e in qs]


def fallback(query: str) -> list[str]:
    """The demo's (SQLite) path: the same tokens and alternatives as plain substrings."""
    return slugs(FAQEntry.objects.filter(text_q(FIELDS, query)).order_by("order", "id"))


def test_tokens_split_chinese_from_latin():
    assert tokens("HO超时") == ["ho", "超时"]
    assert tokens("  PO  的 审核 ") == ["po", "的", "审核"]


def test_alternatives_both_ways_and_inside_longer_words():
    assert "机会点" in alternatives("商机")
    assert "商机" in alternatives("机会点")
    assert "机会点管理" in alternatives("商机管理")
    assert alternatives("billing") == ["billing"]  # Latin words only as whole words


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("商机 考核", "opportunity-assessment"),  # the everyday word for 机会点
        ("HO 超时", "ho-accept-sla"),  # the text says 逾期
        ("HO超时", "ho-accept-sla"),
        ("HO overdue", "ho-accept-sla"),
    ],
)
def test_everyday_words_find_the_entry(query, expected):
    assert expected in slugs(faq_entries(query=query))[:3]
    assert expected in fallback(query)


def test_every_avoided_glossary_word_is_a_search_synonym_of_its_term():
    text = GLOSSARY.read_text()
    rows = [
        [c.strip() for c in line.strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("|") and not line.startswith("|---")
    ]
    missing = []
    for row in rows:
        if len(row) < 4 or row[0] in ("concept", "msgid"):
            continue
        term, avoid = row[2], row[3]
        for word in re.findall(r"[\u4e00-\u9fff]{2,}", re.sub(r"（.*?）|\(.*?\)", "", avoid)):
            preferred = re.sub(r"（.*?）|\(.*?\)", "", term).strip()
            if word in preferred:  # "PCE 计划" avoided for "PCE 共拓计划": not a synonym
                continue
            if SYNONYMS.get(word) is None or SYNONYMS[word].lower() not in preferred.lower():
                missing.append((word, preferred))
    assert not missing


@pytest.mark.parametrize("query", ["申请发票", "开票", "request an invoice", "invoice"])
def test_requesting_an_invoice_has_an_answer(query):
    assert "invoice-request" in slugs(faq_entries(query=query))[:3]
    assert "invoice-request" in fallback(query)
