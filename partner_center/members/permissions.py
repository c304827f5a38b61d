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
