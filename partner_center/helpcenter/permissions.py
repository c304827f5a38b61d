from partner_center.accounts.permissions import Role, capability

READ_HELP = capability("helpcenter.read", set(Role.values))
