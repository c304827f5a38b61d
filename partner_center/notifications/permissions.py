"""Everyone signed in has a notification center; partner users subscribe to topics."""

from partner_center.accounts.permissions import PARTNER_ROLES, PartnerType, Role, capability

USE_NOTIFICATIONS = capability("notifications.use", set(Role.values))
MANAGE_SUBSCRIPTIONS = capability("notifications.subscribe", PARTNER_ROLES)
# A distributor's partner admin sets the threshold of the reseller-information digest.
SET_TOPIC_THRESHOLDS = capability(
    "notifications.topic_settings", {Role.PARTNER_ADMIN}, partner_types={PartnerType.DISTRIBUTOR}
)
