from django.utils.translation import gettext_lazy as _

from partner_center.menus import MenuEntry

from .permissions import (
    CUSTOMER_SELF,
    INVITE_CUSTOMERS,
    VIEW_CUSTOMERS,
    VIEW_MONEY_REQUESTS,
    VIEW_RESELLER_FUNDS,
    VIEW_RESELLERS,
)

SELLING = _("Shown to solution providers, distributors and resellers.")

ENTRIES = [
    MenuEntry(
        "customers",
        _("Customer management"),
        "customers:list",
        VIEW_CUSTOMERS,
        10,
        SELLING,
        help_slug="page-customers",
    ),
    MenuEntry(
        "customers",
        _("Invitation links"),
        "customers:invitations",
        INVITE_CUSTOMERS,
        20,
        SELLING,
        help_slug="page-customer-invitations",
    ),
    MenuEntry(
        "customers",
        _("Yearly/monthly resources"),
        "customers:resources",
        VIEW_CUSTOMERS,
        30,
        SELLING,
        help_slug="page-prepaid-resources",
    ),
    MenuEntry(
        "customers",
        _("Customer orders"),
        "customers:orders",
        VIEW_CUSTOMERS,
        40,
        SELLING,
        help_slug="page-customer-orders",
    ),
    MenuEntry(
        "customers",
        _("Waiting for approval"),
        "customers:money_requests",
        VIEW_MONEY_REQUESTS,
        45,
        _("Money operations above the partner's limit, for a second admin."),
        help_slug="page-money-requests",
    ),
    MenuEntry(
        "customers",
        _("Tier-2 resellers"),
        "customers:resellers",
        VIEW_RESELLERS,
        50,
        _("Shown to distributors only."),
        help_slug="page-resellers",
    ),
    MenuEntry(
        "customers",
        _("Funds and voucher quota"),
        "customers:funds",
        VIEW_RESELLER_FUNDS,
        60,
        _("Shown to tier-2 resellers only."),
        help_slug="page-reseller-funds",
    ),
    MenuEntry(
        "customers",
        _("Vouchers"),
        "customers:vouchers",
        VIEW_RESELLER_FUNDS,
        70,
        _("Shown to tier-2 resellers only."),
        help_slug="page-vouchers",
    ),
    MenuEntry(
        "account", _("My partner"), "customers:me", CUSTOMER_SELF, 10, help_slug="page-my-partner"
    ),
    MenuEntry(
        "account",
        _("My resources"),
        "customers:my_resources",
        CUSTOMER_SELF,
        20,
        help_slug="page-my-resources",
    ),
    MenuEntry(
        "account",
        _("My vouchers"),
        "customers:my_vouchers",
        CUSTOMER_SELF,
        30,
        help_slug="page-my-vouchers",
    ),
]
