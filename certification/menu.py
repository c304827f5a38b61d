from django.utils.translation import gettext_lazy as _

from partner_center.menus import MenuEntry

from .permissions import ORGANIZE_DEFENSE, REVIEW_CERTIFICATION, VIEW_CERTIFICATION

ENTRIES = [
    MenuEntry("certification", _("Overview"), "certification:overview", VIEW_CERTIFICATION, 1),
    MenuEntry(
        "certification",
        _("Enterprise certification"),
        "certification:enterprise-list",
        VIEW_CERTIFICATION,
        10,
    ),
    MenuEntry(
        "certification",
        _("Bank-card certification"),
        "certification:bank-card-list",
        VIEW_CERTIFICATION,
        20,
    ),
    MenuEntry(
        "certification",
        _("Capability labels"),
        "certification:label-catalogue",
        VIEW_CERTIFICATION,
        30,
    ),
    MenuEntry(
        "certification",
        _("Label applications"),
        "certification:label-application-list",
        VIEW_CERTIFICATION,
        40,
    ),
    MenuEntry(
        "review",
        _("Enterprise certifications"),
        "certification:enterprise-queue",
        REVIEW_CERTIFICATION,
        60,
    ),
    MenuEntry(
        "review",
        _("Bank-card certifications"),
        "certification:bank-card-queue",
        REVIEW_CERTIFICATION,
        61,
    ),
    MenuEntry(
        "review",
        _("Label applications"),
        "certification:label-application-queue",
        REVIEW_CERTIFICATION,
        62,
    ),
    MenuEntry("review", _("Online defenses"), "certification:defense-list", ORGANIZE_DEFENSE, 63),
]
