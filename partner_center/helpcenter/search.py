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
from django.db.models import Q, QuerySet

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[a-z0-9]+")
_IS_CJK = re.compile(rf"[{_CJK}]")


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


def query_parts(query: str) -> tuple[list[str], list[str]]:
    """(parts that must all match, Latin words) of a user's query."""
    parts: list[str] = []
    words: list[str] = []
    for token in _TOKEN.findall((query or "").lower()):
        if _IS_CJK.match(token):
            parts.extend(_cjk_parts(token, for_query=True))
        else:
            parts.append(f"{token}:*")
            words.append(token)
    return parts, words


def search_entries(qs: QuerySet, query: str) -> QuerySet:
    """Entries matching `query`, best first."""
    query = (query or "").strip()
    if not query:
        return qs
    parts, words = query_parts(query)
    if not parts:
        return qs.none()
    if connection.vendor != "postgresql":
        cond = Q()
        for term in query.split():
            cond &= (
                Q(question_zh__icontains=term)
                | Q(answer_zh__icontains=term)
                | Q(question_en__icontains=term)
                | Q(answer_en__icontains=term)
                | Q(keywords__icontains=term)
            )
        return qs.filter(cond)
    vector = (
        SearchVector("index_question", weight="A", config="simple")
        + SearchVector("index_answer", weight="B", config="simple")
        + SearchVector("question_en", weight="A", config="english")
        + SearchVector("answer_en", weight="B", config="english")
    )
    # Parts are made of letters, digits and CJK characters only: safe in a raw tsquery.
    tsquery = SearchQuery(
        " & ".join(f"'{p[:-2]}':*" if p.endswith(":*") else f"'{p}'" for p in parts),
        config="simple",
        search_type="raw",
    )
    if words:
        tsquery = tsquery | SearchQuery(" ".join(words), config="english", search_type="plain")
    return (
        qs.annotate(search=vector, rank=SearchRank(vector, tsquery))
        .filter(search=tsquery)
        .order_by("-rank", "order", "id")
    )
