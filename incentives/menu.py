from django.utils.translation import gettext_lazy as _

from partner_center.menus import MenuEntry

from .permissions import (
    APPLY_INCENTIVES,
    REVIEW_INCENTIVES,
    VIEW_DASHBOARD,
    VIEW_ESTIMATES,
    VIEW_PERFORMANCE,
    VIEW_PROGRAM,
)

SELLING = _("Shown to solution providers, distributors and resellers.")

ENTRIES = [
    MenuEntry(
        "incentives",
        _("Performance"),
        "incentives:performance",
        VIEW_PERFORMANCE,
        10,
        SELLING,
        help_slug="page-performance",
    ),
    MenuEntry(
        "incentives",
        _("Performance dashboard"),
        "incentives:dashboard",
        VIEW_DASHBOARD,
        20,
        _("Shown to distributors only."),
        help_slug="page-performance-dashboard",
    ),
    MenuEntry(
        "incentives",
        _("Estimated incentives"),
        "incentives:estimates",
        VIEW_ESTIMATES,
        30,
        SELLING,
        help_slug="page-estimated-incentives",
    ),
    MenuEntry(
        "incentives",
        _("Opportunity incentives"),
        "incentives:applications",
        APPLY_INCENTIVES,
        40,
        _("Shown to partner users; applying needs PCE membership."),
        help_slug="page-incentive-applications",
    ),
    MenuEntry(
        "incentives",
        _("Incentive program"),
        "incentives:program",
        VIEW_PROGRAM,
        90,
        help_slug="page-incentive-program",
    ),
    MenuEntry(
        "review",
        _("Incentive review"),
        "incentives:review",
        REVIEW_INCENTIVES,
        40,
        help_slug="page-incentive-review",
    ),
]
