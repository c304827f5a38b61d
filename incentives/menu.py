from django.utils.translation import gettext_lazy as _

from partner_center.menus import MenuEntry

from .permissions import VIEW_DASHBOARD, VIEW_ESTIMATES, VIEW_PERFORMANCE, VIEW_PROGRAM

SELLING = _("Shown to solution providers, distributors and resellers.")

ENTRIES = [
    MenuEntry(
        "incentives", _("Performance"), "incentives:performance", VIEW_PERFORMANCE, 10, SELLING
    ),
    MenuEntry(
        "incentives",
        _("Performance dashboard"),
        "incentives:dashboard",
        VIEW_DASHBOARD,
        20,
        _("Shown to distributors only."),
    ),
    MenuEntry(
        "incentives",
        _("Estimated incentives"),
        "incentives:estimates",
        VIEW_ESTIMATES,
        30,
        SELLING,
    ),
    MenuEntry("incentives", _("Incentive program"), "incentives:program", VIEW_PROGRAM, 90),
]
