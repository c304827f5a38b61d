from django.utils.translation import gettext_lazy as _

from partner_center.menus import MenuEntry

from .permissions import PARTNER_KEYS, STAFF_KEYS

ENTRIES = [
    MenuEntry(
        "account",
        _("API keys"),
        "apikeys:list",
        PARTNER_KEYS,
        order=40,
        why_hidden=_("Only the partner admin creates API keys for the partner's systems."),
        help_slug="page-api-keys",
    ),
    MenuEntry(
        "review", _("My API keys"), "apikeys:list", STAFF_KEYS, order=90, help_slug="page-api-keys"
    ),
]
