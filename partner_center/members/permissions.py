"""Who may see the partner profile and manage the partner's members."""

from partner_center.accounts.permissions import (
    MANAGE_PARTNER_PROFILE,
    PARTNER_ROLES,
    Role,
    capability,
)

VIEW_PROFILE = capability("members.view_profile", PARTNER_ROLES)
MANAGE_PROFILE = MANAGE_PARTNER_PROFILE  # contact details and legal representative
MANAGE_MEMBERS = capability("members.manage", {Role.PARTNER_ADMIN})
# Anyone signed in may open an invitation addressed to them; the service checks the rest.
ANSWER_INVITATION = capability(
    "members.answer_invitation", {Role.CUSTOMER, Role.PARTNER_MEMBER, Role.PARTNER_ADMIN}
)
# What the services require where the portal's administrator may also act (Django admin):
# a partner admin acts on its own partner (the service passes `partner_id`).
MANAGE_MEMBERS_OR_ADMIN = capability("members.manage_or_admin", {Role.PARTNER_ADMIN, Role.ADMIN})
MANAGE_PROFILE_OR_ADMIN = capability("members.profile_or_admin", {Role.PARTNER_ADMIN, Role.ADMIN})
