from django.utils.translation import gettext_lazy as _

from partner_center.menu_table import section_entries

from .permissions import PARTNER_KEYS, STAFF_KEYS

ENTRIES = [
    *section_entries(
        "account",
        (
            _("API keys"),
            "apikeys:list",
            PARTNER_KEYS,
            40,
            _("Only the partner admin creates API keys for the partner's systems."),
            "page-api-keys",
        ),
    ),
    *section_entries(
        "review", (_("My API keys"), "apikeys:list", STAFF_KEYS, 90, "", "page-api-keys")
    ),
]
