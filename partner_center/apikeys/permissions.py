"""Who may hold API keys: a partner admin for the partner's systems, vendor staff for
themselves. Partner members may not create keys."""

from partner_center.accounts.permissions import Role, capability

PARTNER_KEYS = capability("apikeys.partner", {Role.PARTNER_ADMIN})
STAFF_KEYS = capability("apikeys.staff", {Role.BD, Role.CERT_SPECIALIST, Role.ADMIN})
MANAGE_API_KEYS = capability(
    "apikeys.manage", {Role.PARTNER_ADMIN, Role.BD, Role.CERT_SPECIALIST, Role.ADMIN}
)
