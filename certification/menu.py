from django.utils.translation import gettext_lazy as _

from partner_center.menus import MenuEntry

from .permissions import ORGANIZE_DEFENSE, REVIEW_CERTIFICATION, VIEW_CERTIFICATION

ENTRIES = [
    MenuEntry(
        "certification",
        _("Overview"),
        "certification:overview",
        VIEW_CERTIFICATION,
        1,
        help_slug="page-certification-overview",
    ),
    MenuEntry(
        "certification",
        _("Enterprise certification"),
        "certification:enterprise-list",
        VIEW_CERTIFICATION,
        10,
        help_slug="page-enterprise-certification",
    ),
    MenuEntry(
        "certification",
        _("Bank-card certification"),
        "certification:bank-card-list",
        VIEW_CERTIFICATION,
        20,
        help_slug="page-bank-card-certification",
    ),
    MenuEntry(
        "certification",
        _("Capability labels"),
        "certification:label-catalogue",
        VIEW_CERTIFICATION,
        30,
        help_slug="page-capability-labels",
    ),
    MenuEntry(
        "certification",
        _("Label applications"),
        "certification:label-application-list",
        VIEW_CERTIFICATION,
        40,
        help_slug="page-label-applications",
    ),
    MenuEntry(
        "review",
        _("Enterprise certifications"),
        "certification:enterprise-queue",
        REVIEW_CERTIFICATION,
        60,
        help_slug="page-enterprise-review",
    ),
    MenuEntry(
        "review",
        _("Bank-card certifications"),
        "certification:bank-card-queue",
        REVIEW_CERTIFICATION,
        61,
        help_slug="page-bank-card-review",
    ),
    MenuEntry(
        "review",
        _("Label applications"),
        "certification:label-application-queue",
        REVIEW_CERTIFICATION,
        62,
        help_slug="page-label-review",
    ),
    MenuEntry(
        "review",
        _("Online defenses"),
        "certification:defense-list",
        ORGANIZE_DEFENSE,
        63,
        help_slug="page-online-defenses",
    ),
]
