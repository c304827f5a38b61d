from django.utils.translation import gettext_lazy as _

from partner_center.menus import MenuEntry

from .permissions import READ_HELP

ENTRIES = [
    MenuEntry(
        "help",
        _("Help center"),
        "helpcenter:index",
        READ_HELP,
        order=10,
        help_slug="page-help-center",
    ),
    MenuEntry(
        "help",
        _("Why is a menu missing?"),
        "helpcenter:menus",
        READ_HELP,
        order=20,
        help_slug="why-menu-missing",
    ),
]
