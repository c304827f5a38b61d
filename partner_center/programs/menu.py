from django.utils.translation import gettext_lazy as _

from partner_center.menus import MenuEntry

from .permissions import REVIEW_PCE, VIEW_PROGRAMS

ENTRIES = [
    MenuEntry(
        "account",
        _("PCE program"),
        "programs:pce",
        VIEW_PROGRAMS,
        order=30,
        why_hidden=_("The PCE program page is for users of a partner."),
        help_slug="page-pce-program",
    ),
    MenuEntry(
        "account",
        _("Partner paths"),
        "programs:paths",
        VIEW_PROGRAMS,
        order=40,
        why_hidden=_("Partner paths are shown to users of a partner."),
        help_slug="page-partner-paths",
    ),
    MenuEntry(
        "review",
        _("PCE applications"),
        "programs:pce_queue",
        REVIEW_PCE,
        order=50,
        why_hidden=_("BD staff decide PCE applications."),
        help_slug="page-pce-applications",
    ),
]
