"""Who may see and change the partner's programs: paths, PCE, deregistration."""

from partner_center.accounts.permissions import PARTNER_ROLES, PartnerType, Role, capability

VIEW_PROGRAMS = capability("programs.view", PARTNER_ROLES)
MANAGE_PROGRAMS = capability("programs.manage", {Role.PARTNER_ADMIN})  # apply, join, exit
DEREGISTER_PARTNER = capability("programs.deregister", {Role.PARTNER_ADMIN})
REVIEW_PCE = capability("programs.review_pce", {Role.BD, Role.ADMIN})

# [our rule] Partners that sell to or deliver for customers may apply to the PCE program;
# a partner holding only the learning & enablement type may not.
PCE_ELIGIBLE_TYPES = frozenset(
    {
        PartnerType.SOLUTION_PROVIDER,
        PartnerType.DISTRIBUTOR,
        PartnerType.RESELLER,
        PartnerType.SOFTWARE,
        PartnerType.SERVICE,
        PartnerType.CONSULTING,
    }
)
VIEW_PCE_APPLICATIONS = capability(
    "programs.view_pce_applications", PARTNER_ROLES | {Role.BD, Role.ADMIN}
)
# The service check of deregistration: the partner admin, or the portal's administrator
# (Django admin action).
DEREGISTER_OR_ADMIN = capability("programs.deregister_or_admin", {Role.PARTNER_ADMIN, Role.ADMIN})
