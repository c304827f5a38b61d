from django.utils.translation import gettext_lazy as _

from partner_center.menu_table import section_entries

from .permissions import MANAGE_SUBSCRIPTIONS

ENTRIES = section_entries(
    "account",
    (
        _("Subscriptions"),
        "notifications:subscriptions",
        MANAGE_SUBSCRIPTIONS,
        50,
        _("Users of a partner subscribe to information topics."),
        "page-subscriptions",
    ),
)
