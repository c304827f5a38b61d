"""Global search (the top bar): the user's own customers, opportunities, bills, invoices, the
help center and the menu's pages, each scoped by its module's selector and capability (a
user never finds what its lists would not show), at most `PER_SECTION` hits a section.
Matching is partner_center/search.py's (tokens, glossary synonyms, Chinese pairs)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partner_center.search import alternatives, text_q, tokens

PER_SECTION = 5


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    hits: list[Hit]
    more: bool
    more_url: str


def _numbers(query: str) -> list[int]:
    return [int(t) for t in tokens(query.replace("#", " ")) if t.isdigit() and len(t) < 10]


def _opportunities(user, query):
    from opportunities.permissions import VIEW_OPPORTUNITIES
    from opportunities.selectors import opportunities_for

    if not VIEW_OPPORTUNITIES.allows(user):
        return None
    cond = text_q(["customer_name", "project_name", "external_ref"], query)
    numbers = _numbers(query)
    if numbers:
        cond = (cond | Q(pk__in=numbers)) if cond is not None else Q(pk__in=numbers)
    rows = opportunities_for(user).filter(cond).order_by("-created_at", "-id")
    return (
        rows,
        lambda o: Hit(
            f"{o.kind.upper()} #{o.pk} · {o.customer_name}",
            f"{o.project_name} · {o.get_state_display()}",
            reverse("opportunities:detail", args=[o.pk]),
        ),
        reverse("opportunities:list") + "?" + urlencode({"customer": query}),
    )


def _customers(user, query):
    from customers.permissions import VIEW_CUSTOMERS
    from customers.selectors import associations_for

    if not VIEW_CUSTOMERS.allows(user):
        return None
    cond = text_q(["customer__name", "customer__account_name"], query)
    rows = associations_for(user).filter(cond).order_by("-id")
    return (
        rows,
        lambda a: Hit(
            a.customer.name,
            f"{a.customer.account_name} · {a.get_state_display()}",
            reverse("customers:detail", args=[a.pk]),
        ),
        reverse("customers:list") + "?" + urlencode({"q": query}),
    )


def _bills(user, query):
    from billing.permissions import VIEW_BILLS
    from billing.selectors import bills_for

    if not VIEW_BILLS.allows(user):
        return None
    rows = bills_for(user).filter(text_q(["period"], query)).order_by("-period")
    return (
        rows,
        lambda b: Hit(
            _("Bill %(period)s") % {"period": b.period},
            b.get_state_display(),
            reverse("billing:bill_overview", args=[b.period]),
        ),
        reverse("billing:bill"),
    )


def _invoices(user, query):
    from billing.permissions import VIEW_BILLS
    from billing.selectors import invoices_for

    if not VIEW_BILLS.allows(user):
        return None
    rows = invoices_for(user).filter(text_q(["number"], query)).order_by("-id")
    return (
        rows,
        lambda i: Hit(i.number, i.get_state_display(), reverse("billing:invoice", args=[i.pk])),
        reverse("billing:invoices"),
    )


def _help(user, query):
    from partner_center.helpcenter.selectors import faq_entries

    rows = faq_entries(query=query)
    return (
        rows,
        lambda e: Hit(e.question, "", reverse("helpcenter:entry", args=[e.slug])),
        reverse("helpcenter:index") + "?" + urlencode({"q": query}),
    )


SOURCES = [
    ("opportunities", _("Opportunities"), _opportunities),
    ("customers", _("Customers"), _customers),
    ("bills", _("Bills"), _bills),
    ("invoices", _("Invoices"), _invoices),
    ("help", _("Help center"), _help),
]


def menu_hits(user, query, menu) -> list[Hit]:
    """Pages of the user's own menu whose name matches (the menu is already filtered by
    what the user may open)."""
    found = tokens(query)
    if not found:
        return []
    hits = []
    for section in menu:
        for entry in section["entries"]:
            text = f"{section['label']} {entry['label']}".lower()
            if all(any(a in text for a in alternatives(t)) for t in found):
                hits.append(Hit(str(entry["label"]), str(section["label"]), entry["url"]))
    return hits[:PER_SECTION]


def search(user, query: str) -> list[Section]:
    query = (query or "").strip()[:100]
    if not tokens(query):
        return []
    sections = []
    for key, label, source in SOURCES:
        found = source(user, query)
        if found is None:
            continue
        rows, hit, more_url = found
        rows = list(rows[: PER_SECTION + 1])
        sections.append(
            Section(
                key,
                str(label),
                [hit(r) for r in rows[:PER_SECTION]],
                len(rows) > PER_SECTION,
                more_url,
            )
        )
    return sections
