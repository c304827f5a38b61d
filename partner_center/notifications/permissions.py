"""Everyone signed in has a notification center; partner users subscribe to topics."""

from partner_center.accounts.permissions import PARTNER_ROLES, Role, capability

USE_NOTIFICATIONS = capability("notifications.use", set(Role.values))
MANAGE_SUBSCRIPTIONS = capability("notifications.subscribe", PARTNER_ROLES)
