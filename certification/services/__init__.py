"""Every write of certification. Pages, the API, admin actions and tasks call these.

Each step locks its row, checks the transition table (`transitions.py`), saves, records the
event and notifies the people who act next. A file is checked completely before anything
is stored; if the step fails after the file was written, the file is removed again.

One module per area; this package re-exports every name so callers keep
`from certification import services; services.<name>(...)`."""

from __future__ import annotations

from partner_center import workflow  # tests patch services.workflow.apply
from partner_center.errors import DomainError, NotAllowed

from ._common import (
    DEFENSE_WINDOW_WORKING_DAYS,
    MAX_EVIDENCE_PER_CRITERION,
    MAX_OTHER_CERTIFICATES,
    MAX_STAFF,
    B,
    E,
    L,
    _check_reasons,
    _discard_after_commit,
    _now,
    _partner_admins,
    _reasons_text,
    _require,
    _specialists,
    _store_checked,
)
from .bank_cards import (
    _DIGITS,
    _lock_bank_card,
    _luhn_ok,
    bank_card_approve,
    bank_card_reject,
    bank_card_submit,
    mask_card_number,
)
from .defenses import (
    close_expired_defense_windows,
    defense_record_outcome,
    defense_schedule,
    label_request_defense,
)
from .enterprise import (
    _clean_names,
    _clean_setup,
    _lock_enterprise,
    _rebuild_slots,
    enterprise_approve,
    enterprise_reject,
    enterprise_revise,
    enterprise_setup,
    enterprise_start,
    enterprise_submit,
    enterprise_upload,
    enterprise_upload_many,
    suggest_slots,
)
from .label_reviews import (
    _check_verdict,
    label_accept_result,
    label_conclude,
    label_decide_criterion,
)
from .labels import (
    _application_link,
    _lock_application,
    label_add_evidence,
    label_apply,
    label_edit,
    label_remove_evidence,
    label_submit,
    label_withdraw,
)
from .pdm import (
    pdm_assign,
)

__all__ = [
    "DomainError",
    "NotAllowed",
    "B",
    "DEFENSE_WINDOW_WORKING_DAYS",
    "E",
    "L",
    "MAX_EVIDENCE_PER_CRITERION",
    "MAX_OTHER_CERTIFICATES",
    "MAX_STAFF",
    "_DIGITS",
    "_application_link",
    "_check_reasons",
    "_check_verdict",
    "_clean_names",
    "_clean_setup",
    "_discard_after_commit",
    "_lock_application",
    "_lock_bank_card",
    "_lock_enterprise",
    "_luhn_ok",
    "_now",
    "_partner_admins",
    "_reasons_text",
    "_rebuild_slots",
    "_require",
    "_specialists",
    "_store_checked",
    "bank_card_approve",
    "bank_card_reject",
    "bank_card_submit",
    "close_expired_defense_windows",
    "defense_record_outcome",
    "defense_schedule",
    "enterprise_approve",
    "enterprise_reject",
    "enterprise_revise",
    "enterprise_setup",
    "enterprise_start",
    "enterprise_submit",
    "enterprise_upload",
    "enterprise_upload_many",
    "suggest_slots",
    "label_accept_result",
    "label_add_evidence",
    "label_apply",
    "label_conclude",
    "label_decide_criterion",
    "label_edit",
    "label_remove_evidence",
    "label_request_defense",
    "label_submit",
    "label_withdraw",
    "mask_card_number",
    "pdm_assign",
    "workflow",
]
