"""What each role may do with opportunities. Whether a partner may share POs and receive
HOs at all is a rule (PCE membership), checked by the services, not a capability."""

from partner_center.accounts.permissions import PARTNER_ROLES, Role, capability

# See opportunities: a partner its own, vendor staff all.
VIEW_OPPORTUNITIES = capability("opportunities.view", PARTNER_ROLES | {Role.BD, Role.ADMIN})
# Create, edit, submit and import POs; accept or decline HOs; post progress updates.
WORK_OPPORTUNITIES = capability("opportunities.work", PARTNER_ROLES)
# Review and verify POs, return them for changes, reject them, set the core label, run the
# HO pool and share HOs, settle duplicates.
REVIEW_OPPORTUNITIES = capability("opportunities.review", {Role.BD, Role.ADMIN})
# What the services require of a partner-side action: a user of that partner (the
# service passes `partner_id`), or the portal's administrator acting for it in admin.
ACT_FOR_PARTNER = capability("opportunities.act_for_partner", PARTNER_ROLES | {Role.ADMIN})
# Give a partner's opportunity to another user of the partner (the partner admin; the
# portal's administrator in admin). BD owners are set by BD (REVIEW_OPPORTUNITIES).
ASSIGN_OWNERS = capability("opportunities.assign_owners", {Role.PARTNER_ADMIN, Role.ADMIN})
