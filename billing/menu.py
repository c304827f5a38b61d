from django.utils.translation import gettext_lazy as _

from partner_center.menus import MenuEntry

from .permissions import VIEW_BILLS

ENTRIES = [
    MenuEntry(
        "finance",
        _("Partner bill"),
        "billing:bill",
        VIEW_BILLS,
        10,
        why_hidden=_("Only solution providers and distributors receive bills."),
        help_slug="page-partner-bill",
    ),
    MenuEntry(
        "finance",
        _("Export tasks"),
        "billing:exports",
        VIEW_BILLS,
        20,
        help_slug="page-export-tasks",
    ),
    MenuEntry(
        "finance", _("Invoices"), "billing:invoices", VIEW_BILLS, 30, help_slug="page-invoices"
    ),
]
