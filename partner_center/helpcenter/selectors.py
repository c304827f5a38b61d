"""Reads of the help center: FAQ entries and why a menu is (not) shown."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from partner_center.accounts.permissions import PARTNER_ROLES, PartnerType, Role
from partner_center.menus import SECTIONS, MenuEntry, all_entries

from .models import FAQEntry
from .search import search_entries


def _category_rank():
    """Categories in the order they are declared (PCE first), not alphabetically."""
    return Case(
        *[When(category=c, then=Value(i)) for i, c in enumerate(FAQEntry.Category.values)],
        default=Value(99),
        output_field=IntegerField(),
    )


def faq_entries(*, query: str = "", category: str = "", sort: str = "") -> QuerySet[FAQEntry]:
    qs = FAQEntry.objects.filter(is_published=True).annotate(category_rank=_category_rank())
    if category:
        qs = qs.filter(category=category)
    if query:
        return search_entries(qs, query)  # best match first
    if sort == "updated":
        return qs.order_by("-updated_at", "id")
    return qs.order_by("category_rank", "order", "id")


def related_entries(entry: FAQEntry, limit: int = 5) -> list[FAQEntry]:
    return list(
        FAQEntry.objects.filter(is_published=True, category=entry.category)
        .exclude(pk=entry.pk)
        .order_by("order", "id")[:limit]
    )


def _labels(choices, codes) -> str:
    return _(", ").join(str(label) for code, label in choices if code in codes)


def hidden_reasons(entry: MenuEntry, user) -> list[str]:
    """Why `user` does not see `entry` (empty when it does)."""
    cap = entry.capability
    if cap.allows(user):
        return []
    reasons: list[str] = []
    if not (user.role in cap.roles or (user.is_superuser and Role.ADMIN in cap.roles)):
        reasons.append(_("Only for: %(roles)s.") % {"roles": _labels(Role.choices, cap.roles)})
    elif user.role in PARTNER_ROLES:
        partner = user.partner
        if partner is None or not partner.is_active:
            reasons.append(_("Your partner account is not active."))
        else:
            if cap.partner_types and not (cap.partner_types & partner.type_codes):
                reasons.append(
                    _("Your partner needs one of these types: %(types)s.")
                    % {"types": _labels(PartnerType.choices, cap.partner_types)}
                )
            if cap.member_grant and not getattr(user, cap.member_grant, False):
                reasons.append(_("Your partner admin has not given you this right."))
    if entry.why_hidden:
        reasons.append(str(entry.why_hidden))
    return reasons or [_("Not available to your account.")]


def menu_explanations(user, entries: Iterable[MenuEntry] | None = None) -> list[dict]:
    """Every menu entry of the portal, per section: shown to `user`, or why not, and the
    published help entry that explains its page (one query)."""
    entries = all_entries() if entries is None else tuple(entries)
    helps = {
        h.slug: h
        for h in FAQEntry.objects.filter(
            is_published=True, slug__in={e.help_slug for e in entries if e.help_slug}
        ).only("slug", "question_zh", "question_en")
    }
    sections: dict[str, dict] = {}
    for entry in entries:
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue  # a page that is not installed
        reasons = hidden_reasons(entry, user)
        section = sections.setdefault(
            entry.section,
            {"code": entry.section, "label": SECTIONS[entry.section], "entries": []},
        )
        section["entries"].append(
            {
                "label": entry.label,
                "url": url,
                "url_name": entry.url_name,
                "visible": not reasons,
                "reasons": reasons,
                "help": helps.get(entry.help_slug),
            }
        )
    return list(sections.values())
