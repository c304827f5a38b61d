from django.utils.translation import gettext_lazy as _

from partner_center.menus import MenuEntry

from .permissions import REVIEW_OPPORTUNITIES, VIEW_OPPORTUNITIES, WORK_OPPORTUNITIES

ENTRIES = [
    MenuEntry("sales", _("Opportunities"), "opportunities:list", VIEW_OPPORTUNITIES, 10),
    MenuEntry("sales", _("HO inbox"), "opportunities:ho_inbox", WORK_OPPORTUNITIES, 20),
    MenuEntry("sales", _("Import POs"), "opportunities:import", WORK_OPPORTUNITIES, 30),
    MenuEntry(
        "review", _("PO review queue"), "opportunities:review_queue", REVIEW_OPPORTUNITIES, 10
    ),
    MenuEntry("review", _("HO pool"), "opportunities:pool", REVIEW_OPPORTUNITIES, 20),
    MenuEntry("review", _("Duplicate queue"), "opportunities:duplicates", REVIEW_OPPORTUNITIES, 30),
]
