from django.utils.translation import gettext_lazy as _

from partner_center.menu_table import section_entries

from .permissions import REVIEW_PCE, VIEW_PROGRAMS

ENTRIES = [
    *section_entries(
        "account",
        (
            _("PCE program"),
            "programs:pce",
            VIEW_PROGRAMS,
            30,
            _("The PCE program page is for users of a partner."),
            "page-pce-program",
        ),
        (
            _("Partner paths"),
            "programs:paths",
            VIEW_PROGRAMS,
            40,
            _("Partner paths are shown to users of a partner."),
            "page-partner-paths",
        ),
    ),
    *section_entries(
        "review",
        (
            _("PCE applications"),
            "programs:pce_queue",
            REVIEW_PCE,
            50,
            _("BD staff decide PCE applications."),
            "page-pce-applications",
        ),
    ),
]
