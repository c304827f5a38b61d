"""Every write about customers, resellers and their money. Pages, the API, admin actions,
tasks and the importer call these functions; nothing else changes these rows.

Rules decided here that the source pages leave open are marked [our rule].

One module per area; this package re-exports every name so callers keep
`from customers import services; services.<name>(...)`."""

from __future__ import annotations

# Also reached as services.<name> by callers of the old single module.
from datetime import timedelta

from django.utils import timezone

from partner_center.errors import DomainError, NotAllowed

from ..models import ZERO
from ._common import (
    AUTO_RENEW_LEAD,
    INVITATION_VALID_FOR,
    MAX_RENEWAL_PERIODS,
    ORDER_ENTRY_TYPE,
    SPEND_TYPES,
    _funding_source,
    _reseller_account,
    add_periods,
    association_at,
)
from .accounts import (
    AUTO_RENEW,
    VENDOR_SITE,
    _check_customer_account,
    _spend,
    _spend_voucher,
    account_fund,
    account_reclaim,
    account_set_budget,
    month_spend,
)
from .agreements import (
    agreement_ensure_published,
    agreement_latest,
    agreement_publish,
    agreement_sign,
)
from .associations import (
    customer_unbind,
)
from .invitations import (
    REGISTRATION_CODE_VALID,
    REGISTRATION_MAX_WRONG_CODES,
    _customer_for,
    _new_account_name,
    _registration_problem,
    _send_registration_mail,
    customer_register,
    default_billing_model,
    invitation_accept,
    invitation_create,
    invitation_link,
    invitation_problem,
    invitation_revoke,
    invitation_send_email,
    registration_send_email,
    registration_start,
    registration_verify,
)
from .money_requests import (
    _ask_approval,
    _carry_out,
    _check_decider,
    _needs_approval,
    money_request_approve,
    money_request_cancel,
    money_request_refuse,
    needs_approval,
    operation_limit,
    second_admins,
)
from .orders import (
    ConsumptionData,
    LineData,
    OrderData,
    _attribution,
    _product,
    _record_line,
    _voucher_for,
    consumption_record,
    order_record,
)
from .resellers import (
    _check_reseller_of,
    _notify_reseller,
    reseller_fund,
    reseller_grant_quota,
    reseller_reclaim,
    reseller_reduce_quota,
)
from .resources import (
    AutoRenewResult,
    auto_renew_due,
    auto_renew_order_no,
    resource_renew,
    resource_set_auto_renew,
    resources_mark_expired,
)
from .vouchers import (
    _new_voucher_code,
    _voucher_return,
    voucher_issue,
    voucher_revoke,
)

__all__ = [
    "DomainError",
    "NotAllowed",
    "ZERO",
    "timedelta",
    "timezone",
    "AUTO_RENEW",
    "AUTO_RENEW_LEAD",
    "AutoRenewResult",
    "ConsumptionData",
    "INVITATION_VALID_FOR",
    "LineData",
    "MAX_RENEWAL_PERIODS",
    "ORDER_ENTRY_TYPE",
    "OrderData",
    "REGISTRATION_CODE_VALID",
    "REGISTRATION_MAX_WRONG_CODES",
    "SPEND_TYPES",
    "VENDOR_SITE",
    "_ask_approval",
    "_attribution",
    "_carry_out",
    "_check_customer_account",
    "_check_decider",
    "_check_reseller_of",
    "_customer_for",
    "_funding_source",
    "_needs_approval",
    "_new_account_name",
    "_new_voucher_code",
    "_notify_reseller",
    "_product",
    "_record_line",
    "_registration_problem",
    "_reseller_account",
    "_send_registration_mail",
    "_spend",
    "_spend_voucher",
    "_voucher_for",
    "_voucher_return",
    "account_fund",
    "account_reclaim",
    "account_set_budget",
    "add_periods",
    "agreement_ensure_published",
    "agreement_latest",
    "agreement_publish",
    "agreement_sign",
    "association_at",
    "auto_renew_due",
    "auto_renew_order_no",
    "consumption_record",
    "customer_register",
    "customer_unbind",
    "default_billing_model",
    "invitation_accept",
    "invitation_create",
    "invitation_link",
    "invitation_problem",
    "invitation_revoke",
    "invitation_send_email",
    "money_request_approve",
    "money_request_cancel",
    "money_request_refuse",
    "month_spend",
    "needs_approval",
    "operation_limit",
    "order_record",
    "registration_send_email",
    "registration_start",
    "registration_verify",
    "reseller_fund",
    "reseller_grant_quota",
    "reseller_reclaim",
    "reseller_reduce_quota",
    "resource_renew",
    "resource_set_auto_renew",
    "resources_mark_expired",
    "second_admins",
    "voucher_issue",
    "voucher_revoke",
]
