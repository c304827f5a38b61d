from django.utils.translation import gettext_lazy as _

from partner_center.menus import MenuEntry

from .permissions import MANAGE_SUBSCRIPTIONS

ENTRIES = [
    MenuEntry(
        "account",
        _("Subscriptions"),
        "notifications:subscriptions",
        MANAGE_SUBSCRIPTIONS,
        order=50,
        why_hidden=_("Users of a partner subscribe to information topics."),
        help_slug="page-subscriptions",
    ),
]
