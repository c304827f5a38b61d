from django.utils.translation import gettext_lazy as _

from partner_center.menus import MenuEntry

from .permissions import (
    REVIEW_OPPORTUNITIES,
    VIEW_OPPORTUNITIES,
    VIEW_PIPELINE,
    WORK_OPPORTUNITIES,
)

ENTRIES = [
    MenuEntry(
        "sales",
        _("Opportunities"),
        "opportunities:list",
        VIEW_OPPORTUNITIES,
        10,
        help_slug="page-opportunities",
    ),
    MenuEntry(
        "sales",
        _("HO inbox"),
        "opportunities:ho_inbox",
        WORK_OPPORTUNITIES,
        20,
        help_slug="page-ho-inbox",
    ),
    MenuEntry(
        "sales",
        _("Import POs"),
        "opportunities:import",
        WORK_OPPORTUNITIES,
        30,
        help_slug="page-po-import",
    ),
    MenuEntry(
        "review",
        _("PO review queue"),
        "opportunities:review_queue",
        REVIEW_OPPORTUNITIES,
        10,
        help_slug="page-po-review-queue",
    ),
    MenuEntry(
        "review",
        _("HO pool"),
        "opportunities:pool",
        REVIEW_OPPORTUNITIES,
        20,
        help_slug="page-ho-pool",
    ),
    MenuEntry(
        "review",
        _("Duplicate queue"),
        "opportunities:duplicates",
        REVIEW_OPPORTUNITIES,
        30,
        help_slug="page-duplicate-queue",
    ),
    # Pipeline tools (issue [5])
    MenuEntry(
        "sales",
        _("Pipeline dashboard"),
        "opportunities:dashboard",
        VIEW_PIPELINE,
        40,
        help_slug="page-pipeline-dashboard",
    ),
    MenuEntry(
        "sales",
        _("PO/HO assessment"),
        "opportunities:assessment",
        VIEW_PIPELINE,
        45,
        help_slug="page-assessment",
    ),
    MenuEntry(
        "sales",
        _("HO profile"),
        "opportunities:ho_profile",
        VIEW_PIPELINE,
        50,
        help_slug="page-ho-profile",
    ),
    MenuEntry(
        "review",
        _("Pipeline dashboard"),
        "opportunities:bd_dashboard",
        REVIEW_OPPORTUNITIES,
        40,
        help_slug="page-bd-pipeline-dashboard",
    ),
    MenuEntry(
        "review",
        _("PO/HO assessment"),
        "opportunities:assessment_overview",
        REVIEW_OPPORTUNITIES,
        45,
        help_slug="page-assessment-overview",
    ),
]
