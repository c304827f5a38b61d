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
# Working on a deal together (collab): comment, next steps, attachments on the deals one
# may see — the partner's users on its own deals, BD on every deal.
COLLABORATE_ON_OPPORTUNITIES = capability(
    "opportunities.collaborate", PARTNER_ROLES | {Role.BD, Role.ADMIN}
)
# A partner's own pipeline dashboard, PO/HO assessment and HO requirements (issue [5]).
VIEW_PIPELINE = capability("opportunities.view_pipeline", PARTNER_ROLES)
# Change the partner's HO profile (industries, regions, products it serves; lead routing).
MANAGE_HO_PROFILE = capability("opportunities.manage_ho_profile", {Role.PARTNER_ADMIN, Role.ADMIN})
# Set the stage probabilities of the weighted pipeline (Django admin).
MANAGE_STAGE_PROBABILITIES = capability("opportunities.manage_stage_probabilities", {Role.ADMIN})
# Give a partner's opportunity to another user of the partner (the partner admin; the
# portal's administrator in admin). BD owners are set by BD (REVIEW_OPPORTUNITIES).
ASSIGN_OWNERS = capability("opportunities.assign_owners", {Role.PARTNER_ADMIN, Role.ADMIN})
