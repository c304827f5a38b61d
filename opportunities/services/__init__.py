"""Every write to opportunities. Views, the API, admin actions, imports and tasks call these;
nothing else saves an opportunity. Each transition locks its row, checks the transition
table (`transitions.py`) and the deadline, saves with `update_fields` and records an event.

One module per area; this package re-exports every name so callers keep
`from opportunities import services; services.<name>(...)`."""

from __future__ import annotations

from ._common import (
    LEAD_FIELDS,
    REQUIRED_FOR_SUBMISSION,
    K,
    S,
    _apply,
    _check_deadline,
    _jsonable,
    _lock,
    _normalize,
    _notify,
    _notify_partner,
    _validate,
    bd_recipients,
    partner_recipients,
)
from .bulk import (
    po_bulk_review,
)
from .duplicates import (
    duplicate_decide,
    lead_close,
)
from .imports import (
    po_import_start,
)
from .lead_retirement import (
    lead_reopen,
    lead_retire,
)
from .leads_and_hos import (
    _lock_lead,
    ho_accept,
    ho_decline,
    ho_share,
    lead_create,
    lead_edit,
    mask_name,
    mask_phone,
)
from .pos import (
    Consent,
    _check_complete,
    _check_consent,
    _fmt,
    _refuse_if_verified_elsewhere,
    po_create,
    po_edit,
    po_resubmit,
    po_save_and_resubmit,
    po_submit,
)
from .progress import (
    opportunity_set_core_label,
    opportunity_update_progress,
)
from .protection import (
    _check_protection_live,
    _progress_protection,
    opportunity_close,
    protection_decide_extension,
    protection_request_extension,
)
from .review import (
    _reject,
    _resolve_pairs,
    po_reject,
    po_return_for_changes,
    po_start_verification,
    po_verify,
)

__all__ = [
    "Consent",
    "K",
    "LEAD_FIELDS",
    "REQUIRED_FOR_SUBMISSION",
    "S",
    "_apply",
    "_check_complete",
    "_check_consent",
    "_check_deadline",
    "_check_protection_live",
    "_fmt",
    "_jsonable",
    "_lock",
    "_lock_lead",
    "_normalize",
    "_notify",
    "_notify_partner",
    "_progress_protection",
    "_refuse_if_verified_elsewhere",
    "_reject",
    "_resolve_pairs",
    "_validate",
    "bd_recipients",
    "duplicate_decide",
    "ho_accept",
    "ho_decline",
    "ho_share",
    "lead_close",
    "lead_create",
    "lead_edit",
    "lead_reopen",
    "lead_retire",
    "mask_name",
    "mask_phone",
    "opportunity_close",
    "opportunity_set_core_label",
    "opportunity_update_progress",
    "partner_recipients",
    "po_bulk_review",
    "po_create",
    "po_edit",
    "po_import_start",
    "po_reject",
    "po_resubmit",
    "po_save_and_resubmit",
    "po_return_for_changes",
    "po_start_verification",
    "po_submit",
    "po_verify",
    "protection_decide_extension",
    "protection_request_extension",
]
