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
    ),
    MenuEntry("finance", _("Export tasks"), "billing:exports", VIEW_BILLS, 20),
    MenuEntry("finance", _("Invoices"), "billing:invoices", VIEW_BILLS, 30),
]
