"""Who manages webhook endpoints and who reads the events feed."""

from partner_center.accounts.permissions import PARTNER_ROLES, VENDOR_ROLES, Role, capability

# The partner admin registers the partner's endpoints and sees their deliveries; vendor
# admins may help (Django admin and the API, any partner).
MANAGE_WEBHOOKS = capability("webhooks.manage", {Role.PARTNER_ADMIN, Role.ADMIN})
# The events feed: the partner's users (their own partner's events), vendor staff (all).
READ_EVENTS = capability("webhooks.read_events", PARTNER_ROLES | VENDOR_ROLES)
# The pages under My partner: the partner admin's own endpoints.
MANAGE_OWN_WEBHOOKS = capability("webhooks.manage_own", {Role.PARTNER_ADMIN})
