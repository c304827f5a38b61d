from django.utils.translation import gettext_lazy as _

from partner_center.menu_table import section_entries

from .permissions import MANAGE_OWN_WEBHOOKS

ENTRIES = section_entries(
    "account",
    (
        _("Webhooks"),
        "webhooks:list",
        MANAGE_OWN_WEBHOOKS,
        60,
        _("The partner admin registers the partner's webhook endpoints."),
        "page-webhooks",
    ),
)
