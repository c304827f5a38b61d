from django.utils.translation import gettext_lazy as _

from partner_center.menu_table import section_entries

from .permissions import MANAGE_MEMBERS, VIEW_PROFILE

ENTRIES = section_entries(
    "account",
    (
        _("Partner profile"),
        "members:profile",
        VIEW_PROFILE,
        10,
        _("Only users of a partner have a partner profile."),
        "page-partner-profile",
    ),
    (
        _("Members"),
        "members:list",
        MANAGE_MEMBERS,
        20,
        _("Only the partner admin invites and unlinks members."),
        "page-members",
    ),
)
