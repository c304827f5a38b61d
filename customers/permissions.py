"""Who may do what with customers, resellers and their money."""

from partner_center.accounts.permissions import (
    PARTNER_ROLES,
    SELLING_TYPES,
    PartnerType,
    Role,
    capability,
)

STAFF_VIEWERS = {Role.BD, Role.ADMIN}

# Partners that sell (solution providers, distributors, resellers) see their customers.
VIEW_CUSTOMERS = capability(
    "customers.view", PARTNER_ROLES | STAFF_VIEWERS, partner_types=SELLING_TYPES
)
INVITE_CUSTOMERS = capability("customers.invite", PARTNER_ROLES, partner_types=SELLING_TYPES)
# Ending an association is the partner admin's decision.
UNBIND_CUSTOMERS = capability("customers.unbind", {Role.PARTNER_ADMIN}, partner_types=SELLING_TYPES)
# Funding, reclaiming, budgets and renewals move money: members need the grant.
MOVE_MONEY = capability(
    "customers.move_money",
    PARTNER_ROLES,
    partner_types=SELLING_TYPES,
    member_grant="can_move_money",
)
# Money operations above the partner's limit: everyone who may move money sees them; the
# service lets only another partner admin decide.
VIEW_MONEY_REQUESTS = capability(
    "customers.money_requests", PARTNER_ROLES, partner_types=SELLING_TYPES
)
MANAGE_RESOURCES = capability(
    "customers.manage_resources", PARTNER_ROLES, partner_types=SELLING_TYPES
)
# Distributors see and fund their tier-2 resellers.
VIEW_RESELLERS = capability(
    "customers.view_resellers",
    PARTNER_ROLES | STAFF_VIEWERS,
    partner_types={PartnerType.DISTRIBUTOR},
)
FUND_RESELLERS = capability(
    "customers.fund_resellers",
    PARTNER_ROLES,
    partner_types={PartnerType.DISTRIBUTOR},
    member_grant="can_move_money",
)
# Tier-2 resellers see the funds and quota their distributor gave them, and issue vouchers.
VIEW_RESELLER_FUNDS = capability(
    "customers.view_funds", PARTNER_ROLES, partner_types={PartnerType.RESELLER}
)
ISSUE_VOUCHERS = capability(
    "customers.issue_vouchers",
    PARTNER_ROLES,
    partner_types={PartnerType.RESELLER},
    member_grant="can_move_money",
)
# A sub-customer's own pages.
CUSTOMER_SELF = capability("customers.self", {Role.CUSTOMER})
# A customer renews its own yearly/monthly resources, paid from its hosted account (the
# service checks that the resource is its own).
RENEW_OWN_RESOURCES = capability("customers.renew_own", {Role.CUSTOMER})
# The vendor's site sends orders and consumption (an admin's token).
IMPORT_RECORDS = capability("customers.import", {Role.ADMIN})

# What the services require when the portal's administrator may also act (admin actions):
# partner roles act on their own partner's rows (the service passes `partner_id`).
REVOKE_INVITATIONS = capability(
    "customers.revoke_invitations", PARTNER_ROLES | {Role.ADMIN}, partner_types=SELLING_TYPES
)
UNBIND_AS_PARTNER_OR_ADMIN = capability(
    "customers.unbind_or_admin", {Role.PARTNER_ADMIN, Role.ADMIN}, partner_types=SELLING_TYPES
)
SWITCH_AUTO_RENEW = capability(
    "customers.switch_auto_renew",
    PARTNER_ROLES | {Role.ADMIN, Role.CUSTOMER},
    partner_types=SELLING_TYPES,
)
REVOKE_VOUCHERS = capability(
    "customers.revoke_vouchers",
    PARTNER_ROLES | {Role.ADMIN},
    partner_types={PartnerType.RESELLER},
    member_grant="can_move_money",
)
PUBLISH_AGREEMENT = capability("customers.publish_agreement", {Role.ADMIN})
