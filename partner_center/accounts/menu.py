from django.utils.translation import gettext_lazy as _

from partner_center.menus import MenuEntry

from .permissions import VIEW_PARTNER_HOME

ENTRIES = [
    MenuEntry(
        "account",
        _("Overview"),
        "home",
        VIEW_PARTNER_HOME,
        order=1,
        help_slug="page-partner-overview",
    ),
]
