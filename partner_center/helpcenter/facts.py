"""Numbers a help text states, read from the rule that enforces them.

A help answer writes `{po_sla_days}` where it means "the PO verification deadline in working
days"; the page, the API and the search index show the number the rule uses today, so a
changed rule never leaves a help text with a stale number. Unknown names stay as written."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from importlib import import_module
from typing import Any


def _po_sla_days() -> int:
    from opportunities.models import Opportunity
    from opportunities.transitions import SLA_WORKING_DAYS

    return SLA_WORKING_DAYS[Opportunity.Kind.PO]


def _ho_sla_days() -> int:
    from opportunities.models import Opportunity
    from opportunities.transitions import SLA_WORKING_DAYS

    return SLA_WORKING_DAYS[Opportunity.Kind.HO]


def _read(module: str, name: str, then: Callable[[Any], object] = lambda v: v):
    """A fact: `module.name` as the rule holds it when the fact is read (the module is
    imported then, not when this one is), shown through `then`."""

    def value() -> object:
        return then(getattr(import_module(module), name))

    return value


def _days(duration: timedelta) -> int:
    return duration.days


def _upload_max_mb() -> int:
    from partner_center.uploads import MAX_BYTES, MB

    return MAX_BYTES // MB


FACTS: dict[str, Callable[[], object]] = {
    "po_sla_days": _po_sla_days,  # working days
    "ho_sla_days": _ho_sla_days,  # working days
    # working days
    "defense_window_days": _read("certification.services", "DEFENSE_WINDOW_WORKING_DAYS"),
    "protection_days": _read("opportunities.protection", "PROTECTION_DAYS"),
    "protection_extension_days": _read("opportunities.protection", "EXTENSION_DAYS"),
    # working days
    "protection_reminder_days": _read("opportunities.protection", "REMINDER_WORKING_DAYS"),
    "ho_max_pending": _read("opportunities.routing", "MAX_PENDING"),
    "po_import_rows": _read("opportunities.imports", "MAX_ROWS"),
    "customer_invitation_days": _read("customers.services._common", "INVITATION_VALID_FOR", _days),
    "member_invitation_days": _read("partner_center.members.models", "INVITATION_VALIDITY_DAYS"),
    "member_invitations_per_day": _read("partner_center.members.models", "INVITATIONS_PER_DAY"),
    "member_link_limit": _read("partner_center.members.models", "LINK_LIMIT_PARTNERS"),
    "expiring_soon_days": _read("customers.selectors", "EXPIRING_SOON_DAYS"),
    "auto_renew_days": _read("customers.services._common", "AUTO_RENEW_LEAD", _days),
    "tax_rate_percent": _read(
        "billing.tax", "TAX_RATE", lambda rate: f"{(rate * 100).normalize():f}"
    ),
    "export_file_days": _read(
        "django.conf", "settings", lambda settings: settings.EXPORT_FILE_TTL.days
    ),
    "upload_max_mb": _upload_max_mb,
    "api_key_max_days": _read("partner_center.apikeys.services", "MAX_DAYS"),
}

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def render_facts(text: str) -> str:
    """`text` with every known `{name}` replaced by the rule's current value."""
    if "{" not in (text or ""):
        return text or ""
    return PLACEHOLDER.sub(
        lambda m: str(FACTS[m.group(1)]()) if m.group(1) in FACTS else m.group(0), text
    )
