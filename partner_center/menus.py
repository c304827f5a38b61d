"""The navigation. Each app lists its entries in its own `menu.py` as `ENTRIES`; a user
sees an entry only when its capability allows it (role, partner type, member grant)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partner_center.accounts.permissions import Capability
from partner_center.app_modules import app_modules

SECTIONS = {
    "sales": _("Sales"),
    "customers": _("Customers"),
    "finance": _("Finance"),
    "incentives": _("Incentives"),
    "certification": _("Certification"),
    "review": _("Review"),
    "account": _("My partner"),
    "help": _("Help"),
}


@dataclass(frozen=True)
class MenuEntry:
    section: str
    label: str
    url_name: str
    capability: Capability
    order: int = 100
    why_hidden: str = ""  # shown by the help center: why a user may not see this entry
    help_slug: str = ""  # the help-center entry that explains this page (helpcenter:entry)


@cache
def all_entries() -> tuple[MenuEntry, ...]:
    entries: list[MenuEntry] = []
    for _app, module in app_modules("menu"):
        entries.extend(getattr(module, "ENTRIES", ()))
    return tuple(sorted(entries, key=lambda e: (list(SECTIONS).index(e.section), e.order)))


def _menu_key(user, entries) -> tuple:
    """Everything `Capability.allows` reads of a user, and the language of the labels: users
    with the same key see the same menu."""
    partner = user.partner if user.partner_id else None
    grants = sorted({e.capability.member_grant for e in entries if e.capability.member_grant})
    return (
        id(entries),
        user.is_active,
        user.is_superuser,
        user.role,
        partner is not None and partner.is_active,
        partner.type_codes if partner is not None else frozenset(),
        tuple(bool(getattr(user, grant, False)) for grant in grants),
        get_language(),
        get_script_prefix(),
    )


_MENUS: dict[tuple, list[dict]] = {}


def menu_for(user) -> list[dict]:
    """Sections with their visible entries, in display order. Built once per process for
    each combination of what the capabilities read (role, partner types, grants, language),
    not on every page."""
    entries = all_entries()
    if not getattr(user, "is_authenticated", False):
        return _build(user, entries)
    key = _menu_key(user, entries)
    menu = _MENUS.get(key)
    if menu is None:
        if len(_MENUS) > 1000:
            _MENUS.clear()
        menu = _MENUS[key] = _build(user, entries)
    return menu


def _build(user, entries) -> list[dict]:
    sections: dict[str, dict] = {}
    for entry in entries:
        if not entry.capability.allows(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        section = sections.setdefault(
            entry.section, {"code": entry.section, "label": SECTIONS[entry.section], "entries": []}
        )
        section["entries"].append({"label": entry.label, "url": url, "url_name": entry.url_name})
    return list(sections.values())


_HTML: dict[tuple, str] = {}


def menu_html(request) -> str:
    """The main menu's HTML for this user and page, rendered once per menu and current page
    (a few hundred template nodes less on every page)."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    user = request.user
    entries = all_entries()
    match = getattr(request, "resolver_match", None)
    active = match.view_name if match else ""
    key = (_menu_key(user, entries), active)
    html = _HTML.get(key)
    if html is None:
        if len(_HTML) > 5000:
            _HTML.clear()
        html = _HTML[key] = render_to_string(
            "components/_main_menu.html", {"portal_menu": menu_for(user), "active": active}
        )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there
