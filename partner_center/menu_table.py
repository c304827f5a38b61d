"""Menu entries written as a table: an app's `menu.py` lists its pages a row each instead of
spelling out every `MenuEntry` call."""

from __future__ import annotations

from partner_center.accounts.permissions import Capability
from partner_center.menus import MenuEntry

# label, URL name, capability, order, why a user may not see it, help-center entry
MenuRow = tuple[str, str, Capability, int, str, str]


def section_entries(section: str, *rows: MenuRow) -> list[MenuEntry]:
    """The entries of one menu section, a `MenuRow` each."""
    return [MenuEntry(section, *row) for row in rows]
