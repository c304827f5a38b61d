from django.utils.translation import gettext_lazy as _

from partner_center.menus import MenuEntry

from .permissions import MANAGE_MEMBERS, VIEW_PROFILE

ENTRIES = [
    MenuEntry(
        "account",
        _("Partner profile"),
        "members:profile",
        VIEW_PROFILE,
        order=10,
        why_hidden=_("Only users of a partner have a partner profile."),
        help_slug="page-partner-profile",
    ),
    MenuEntry(
        "account",
        _("Members"),
        "members:list",
        MANAGE_MEMBERS,
        order=20,
        why_hidden=_("Only the partner admin invites and unlinks members."),
        help_slug="page-members",
    ),
]
