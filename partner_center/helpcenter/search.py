"""Full-text search over the FAQ in Chinese and English.

PostgreSQL's parsers don't split Chinese into words, so each entry keeps an index text in
which every run of Chinese characters is cut into single characters and overlapping pairs
(the bigram approach of CJK search engines); Latin words are kept as lower-case words. A
query is cut the same way and all of its parts must match; English also matches by stem.
Other databases (the SQLite demo) fall back to substring matching."""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, FloatField, QuerySet, Value, When

from partner_center.search import alternatives, parts, text_q, tokens

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[a-z0-9]+")
_IS_CJK = re.compile(rf"[{_CJK}]")
# An entry that explains a menu page (MenuEntry.help_slug) ranks a little below the answer
# to a question when a query matches both: the answer is the more specific one ("HO 超时"
# wants the HO deadline, not every page that mentions HOs).
PAGE_ENTRY_WEIGHT = 0.6


def _cjk_parts(run: str, *, for_query: bool) -> list[str]:
    if len(run) == 1:
        return [run]
    pairs = [run[i : i + 2] for i in range(len(run) - 1)]
    return pairs if for_query else [*run, *pairs]


def index_text(*texts: str) -> str:
    """The text stored for the 'simple' configuration: words, characters and pairs."""
    out: list[str] = []
    for text in texts:
        for token in _TOKEN.findall((text or "").lower()):
            out.extend(_cjk_parts(token, for_query=False) if _IS_CJK.match(token) else [token])
    return " ".join(out)


def search_entries(qs: QuerySet, query: str) -> QuerySet:
    """Entries matching `query` (every token, or one of its glossary alternatives: see
    partner_center/search.py), best first."""
    query = (query or "").strip()
    found = tokens(query)
    if not query:
        return qs
    if not found:
        return qs.none()
    if connection.vendor != "postgresql":
        return qs.filter(
            text_q(["question_zh", "answer_zh", "question_en", "answer_en", "keywords"], query)
        )
    vector = (
        SearchVector("index_question", weight="A", config="simple")
        + SearchVector("index_answer", weight="B", config="simple")
        + SearchVector("question_en", weight="A", config="english")
        + SearchVector("answer_en", weight="B", config="english")
    )

    def raw(alt: str) -> str:
        # Only letters, digits and CJK characters reach the raw tsquery.
        pieces: list[str] = []
        for part in parts(alt):
            if _IS_CJK.match(part):
                pieces.append(f"'{part}'")
            else:
                pieces.extend(f"'{word}':*" for word in re.findall(r"[a-z0-9]+", part))
        return " & ".join(pieces)

    groups = []
    for token in found:
        options = [r for r in (raw(a) for a in alternatives(token)) if r]
        if options:
            groups.append("(" + " | ".join(f"({o})" for o in options) + ")")
    if not groups:
        return qs.none()
    tsquery = SearchQuery(" & ".join(groups), config="simple", search_type="raw")
    words = [t for t in found if not _IS_CJK.match(t)]
    if words:
        tsquery = tsquery | SearchQuery(" ".join(words), config="english", search_type="plain")
    from partner_center.menus import all_entries

    page_slugs = sorted({e.help_slug for e in all_entries() if e.help_slug})
    weight = Case(
        When(slug__in=page_slugs, then=Value(PAGE_ENTRY_WEIGHT)),
        default=Value(1.0),
        output_field=FloatField(),
    )
    return (
        qs.annotate(search=vector, rank=SearchRank(vector, tsquery) * weight)
        .filter(search=tsquery)
        .order_by("-rank", "order", "id")
    )
