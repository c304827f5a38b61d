"""Who may do what with bills. A partner's bill is for partners that buy from the vendor
themselves: solution providers and distributors. A tier-2 reseller's customers are billed
to its distributor, whose bill names the reseller on each such line."""

from partner_center.accounts.permissions import PARTNER_ROLES, PartnerType, Role, capability

BILLED_TYPES = (PartnerType.SOLUTION_PROVIDER, PartnerType.DISTRIBUTOR)

# See the partner's bills, their lines, export files and invoices; export them.
VIEW_BILLS = capability("billing.view_bills", PARTNER_ROLES, partner_types=BILLED_TYPES)
# Ask the vendor for an invoice: the partner admin, or a member granted money moves.
REQUEST_INVOICE = capability(
    "billing.request_invoice",
    {Role.PARTNER_ADMIN, Role.PARTNER_MEMBER},
    partner_types=BILLED_TYPES,
    member_grant="can_move_money",
)
# The vendor's finance side (Django admin): settle a bill, mark an invoice issued.
SETTLE_BILLS = capability("billing.settle_bills", {Role.ADMIN})
ISSUE_INVOICES = capability("billing.issue_invoices", {Role.ADMIN})
