"""Who may do what with performance, the distributor dashboard and incentives.

Whether a partner may apply for the PCE opportunity-sharing incentive at all is a rule (PCE
membership, the opportunity's core label and delivery), checked by the services."""

from partner_center.accounts.permissions import (
    PARTNER_ROLES,
    SELLING_TYPES,
    PartnerType,
    Role,
    capability,
)

STAFF_VIEWERS = {Role.BD, Role.ADMIN}

# Performance (业绩) exists for partners that sell: their customers' orders are credited to
# them. Vendor staff see every partner's.
VIEW_PERFORMANCE = capability(
    "incentives.view_performance", PARTNER_ROLES | STAFF_VIEWERS, partner_types=SELLING_TYPES
)
# The performance dashboard: a distributor's tier-2 resellers.
VIEW_DASHBOARD = capability(
    "incentives.view_dashboard", PARTNER_ROLES, partner_types={PartnerType.DISTRIBUTOR}
)
# Estimated incentives and indicators per billing period.
VIEW_ESTIMATES = capability(
    "incentives.view_estimates", PARTNER_ROLES | STAFF_VIEWERS, partner_types=SELLING_TYPES
)
# The incentive program's rules and rates (every partner may read them).
VIEW_PROGRAM = capability("incentives.view_program", PARTNER_ROLES | STAFF_VIEWERS)
# PCE opportunity-sharing incentive: see the partner's applications (all for vendor staff).
VIEW_APPLICATIONS = capability("incentives.view_applications", PARTNER_ROLES | STAFF_VIEWERS)
# Apply for an incentive for an opportunity and offering.
APPLY_INCENTIVES = capability("incentives.apply", PARTNER_ROLES)
# Confirm or dispute the published amounts and request payment: this concerns money, so a
# project specialist needs the partner admin's grant.
SETTLE_INCENTIVES = capability("incentives.settle", PARTNER_ROLES, member_grant="can_move_money")
# BD: review applications, publish the amounts, reject, mark paid.
REVIEW_INCENTIVES = capability("incentives.review", STAFF_VIEWERS)
