"""The navigation. Each app lists its entries in its own `menu.py` as `ENTRIES`; a user
sees an entry only when its capability allows it (role, partner type, member grant)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from partner_center.accounts.permissions import Capability

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


@cache
def all_entries() -> tuple[MenuEntry, ...]:
    entries: list[MenuEntry] = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.menu")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.menu":
                raise
            continue
        entries.extend(getattr(module, "ENTRIES", ()))
    return tuple(sorted(entries, key=lambda e: (list(SECTIONS).index(e.section), e.order)))


def menu_for(user) -> list[dict]:
    """Sections with their visible entries, in display order."""
    sections: dict[str, dict] = {}
    for entry in all_entries():
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
