"""Numbers a help text states, read from the rule that enforces them.

A help answer writes `{po_sla_days}` where it means "the PO verification deadline in working
days"; the page, the API and the search index show the number the rule uses today, so a
changed rule never leaves a help text with a stale number. Unknown names stay as written."""

from __future__ import annotations

import re
from collections.abc import Callable


def _po_sla_days() -> int:
    from opportunities.models import Opportunity
    from opportunities.transitions import SLA_WORKING_DAYS

    return SLA_WORKING_DAYS[Opportunity.Kind.PO]


def _ho_sla_days() -> int:
    from opportunities.models import Opportunity
    from opportunities.transitions import SLA_WORKING_DAYS

    return SLA_WORKING_DAYS[Opportunity.Kind.HO]


def _defense_window_days() -> int:
    from certification.services import DEFENSE_WINDOW_WORKING_DAYS

    return DEFENSE_WINDOW_WORKING_DAYS


def _protection(name: str) -> Callable[[], int]:
    def value() -> int:
        from opportunities import protection

        return getattr(protection, name)

    return value


def _routing(name: str) -> Callable[[], int]:
    def value() -> int:
        from opportunities import routing

        return getattr(routing, name)

    return value


def _po_import_rows() -> int:
    from opportunities.imports import MAX_ROWS

    return MAX_ROWS


def _customer_invitation_days() -> int:
    from customers.services._common import INVITATION_VALID_FOR

    return INVITATION_VALID_FOR.days


def _member_invitation_days() -> int:
    from partner_center.members.models import INVITATION_VALIDITY_DAYS

    return INVITATION_VALIDITY_DAYS


def _member_invitations_per_day() -> int:
    from partner_center.members.models import INVITATIONS_PER_DAY

    return INVITATIONS_PER_DAY


def _member_link_limit() -> int:
    from partner_center.members.models import LINK_LIMIT_PARTNERS

    return LINK_LIMIT_PARTNERS


def _expiring_soon_days() -> int:
    from customers.selectors import EXPIRING_SOON_DAYS

    return EXPIRING_SOON_DAYS


def _auto_renew_days() -> int:
    from customers.services._common import AUTO_RENEW_LEAD

    return AUTO_RENEW_LEAD.days


def _tax_rate_percent() -> str:
    from billing.tax import TAX_RATE

    return f"{(TAX_RATE * 100).normalize():f}"


def _export_file_days() -> int:
    from django.conf import settings

    return settings.EXPORT_FILE_TTL.days


def _upload_max_mb() -> int:
    from partner_center.uploads import MAX_BYTES, MB

    return MAX_BYTES // MB


def _api_key_max_days() -> int:
    from partner_center.apikeys.services import MAX_DAYS

    return MAX_DAYS


FACTS: dict[str, Callable[[], object]] = {
    "po_sla_days": _po_sla_days,  # working days
    "ho_sla_days": _ho_sla_days,  # working days
    "defense_window_days": _defense_window_days,  # working days
    "protection_days": _protection("PROTECTION_DAYS"),
    "protection_extension_days": _protection("EXTENSION_DAYS"),
    "protection_reminder_days": _protection("REMINDER_WORKING_DAYS"),  # working days
    "ho_max_pending": _routing("MAX_PENDING"),
    "po_import_rows": _po_import_rows,
    "customer_invitation_days": _customer_invitation_days,
    "member_invitation_days": _member_invitation_days,
    "member_invitations_per_day": _member_invitations_per_day,
    "member_link_limit": _member_link_limit,
    "expiring_soon_days": _expiring_soon_days,
    "auto_renew_days": _auto_renew_days,
    "tax_rate_percent": _tax_rate_percent,
    "export_file_days": _export_file_days,
    "upload_max_mb": _upload_max_mb,
    "api_key_max_days": _api_key_max_days,
}

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def render_facts(text: str) -> str:
    """`text` with every known `{name}` replaced by the rule's current value."""
    if "{" not in (text or ""):
        return text or ""
    return PLACEHOLDER.sub(
        lambda m: str(FACTS[m.group(1)]()) if m.group(1) in FACTS else m.group(0), text
    )
