"""Search words, one way for every search box (global search, help center, list filters).

A query is cut into tokens (whitespace, and the border between Chinese and Latin text:
"HO超时" → "ho", "超时"); every token must match. A token also matches through its synonyms:
the words the glossary tells us not to write but that people type (商机 for 机会点, 子客户
for 客户 …), in both directions, also inside a longer Chinese run ("商机管理" → "机会点管理").
Chinese runs match by their overlapping character pairs (the bigram approach of CJK search
engines), so "超时的HO" and "HO 超时" find the same text; this works the same on PostgreSQL
and on the SQLite demo (`text_q`); the help center adds PostgreSQL full-text ranking on top
(helpcenter/search.py)."""

from __future__ import annotations

import re
from functools import reduce
from operator import and_, or_

from django.db.models import Q

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN = re.compile(rf"[{_CJK}]+|[a-z0-9][a-z0-9._@-]*")
IS_CJK = re.compile(rf"[{_CJK}]")

# word people type → the glossary's term (docs/glossary.md, "Avoid" column and the search
# synonyms it names); a test keeps the two in step.
SYNONYMS: dict[str, str] = {
    "商机": "机会点",
    "合作伙伴": "伙伴",
    "子客户": "客户",
    "一级经销商": "总经销商",
    "二级经销商": "云经销商",
    "划拨": "拨款",
    "充值": "拨款",
    "收回": "回收",
    "代金券支付": "代金券抵扣",
    "出账周期": "账期",
    "计费周期": "账期",
    "发票号": "发票号码",
    "处理记录": "历史记录",
    "续订": "续费",
    "区域": "地区",
    "两步验证": "双重验证",
    "双因素认证": "双重验证",
    "核验": "验证",
    "接受": "接收",
    "令牌": "api 密钥",
    "opportunity": "机会点",
    "opportunities": "机会点",
    "deal": "机会点",
    "lead": "ho",
    "referral": "ho",
    "超时": "逾期",
    "timeout": "逾期",
    "overdue": "逾期",
    "invoice": "发票",
    "bill": "账单",
}


def tokens(query: str) -> list[str]:
    return TOKEN.findall((query or "").lower())


def alternatives(token: str) -> list[str]:
    """The token and what it stands for: its glossary term, and the words that stand for
    it (so 机会点 finds a help text that says 商机, and the other way round)."""
    found = [token]
    if not IS_CJK.match(token):  # Latin words stand for a term only as whole words
        if token in SYNONYMS:
            found.append(SYNONYMS[token])
        return found
    for typed, term in SYNONYMS.items():
        if not IS_CJK.match(typed):
            continue
        if typed in token:
            found.append(token.replace(typed, term))
        if IS_CJK.match(term) and term in token and typed != token:
            found.append(token.replace(term, typed))
    return list(dict.fromkeys(found))


def parts(text: str) -> list[str]:
    """What must all occur in a match: Chinese runs as overlapping pairs, Latin as words."""
    if IS_CJK.match(text):
        if len(text) == 1:
            return [text]
        return [text[i : i + 2] for i in range(len(text) - 1)]
    return [text]


def text_q(fields: list[str], query: str) -> Q | None:
    """A filter matching rows where every token (or one of its alternatives) occurs in one
    of `fields`; None for an empty query."""
    found = tokens(query)
    if not found:
        return None

    def one(part: str) -> Q:
        return reduce(or_, (Q(**{f"{field}__icontains": part}) for field in fields))

    def alternative(alt: str) -> Q:
        return reduce(and_, (one(p) for p in parts(alt)))

    return reduce(and_, (reduce(or_, (alternative(a) for a in alternatives(t))) for t in found))
