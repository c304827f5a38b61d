from django.utils.translation import gettext_lazy as _

from partner_center.menus import MenuEntry

from .permissions import MANAGE_OWN_WEBHOOKS

ENTRIES = [
    MenuEntry(
        "account",
        _("Webhooks"),
        "webhooks:list",
        MANAGE_OWN_WEBHOOKS,
        order=60,
        why_hidden=_("The partner admin registers the partner's webhook endpoints."),
        help_slug="page-webhooks",
    ),
]
