"""Roles, and the capabilities of the core partner domain.

Each app declares its own capabilities in its own `permissions.py` with `Capability`;
views, API classes and menus name the capability they need, never a role."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PARTNER_ADMIN = "partner_admin", _("Partner admin")  # owns a partner account
    PARTNER_MEMBER = "partner_member", _("Partner member")  # project specialist of a partner
    BD = "bd", _("BD staff")  # vendor business development: reviews opportunities
    CERT_SPECIALIST = "cert_specialist", _("Certification specialist")
    CUSTOMER = "customer", _("Customer")  # a sub-customer's user
    ADMIN = "admin", _("Administrator")  # runs the portal in Django admin


PARTNER_ROLES = frozenset({Role.PARTNER_ADMIN, Role.PARTNER_MEMBER})
VENDOR_ROLES = frozenset({Role.BD, Role.CERT_SPECIALIST, Role.ADMIN})


class PartnerType(models.TextChoices):
    SOLUTION_PROVIDER = "solution_provider", _("Solution provider")
    DISTRIBUTOR = "distributor", _("Distributor (tier 1)")
    RESELLER = "reseller", _("Reseller (tier 2)")
    SOFTWARE = "software", _("Software partner")
    SERVICE = "service", _("Service partner")
    LEARNING = "learning", _("Learning & enablement partner")
    CONSULTING = "consulting", _("Digital-transformation consulting & SI partner")


# The four partner paths a partner joins and exits itself; deregistration waits for them.
PARTNER_PATHS = (
    PartnerType.SOFTWARE,
    PartnerType.SERVICE,
    PartnerType.LEARNING,
    PartnerType.CONSULTING,
)
# Types that sell cloud resources to sub-customers (customers, billing, incentives menus).
SELLING_TYPES = (PartnerType.SOLUTION_PROVIDER, PartnerType.DISTRIBUTOR, PartnerType.RESELLER)


@dataclass(frozen=True)
class Capability:
    """Something a user may do. Allowed when the user's role is listed, the user's partner
    (if `partner_types` is set) has one of those types, and a partner member holds the
    grant named by `member_grant` (a boolean attribute of the user), if any."""

    code: str
    roles: frozenset[str]
    partner_types: frozenset[str] = field(default_factory=frozenset)
    member_grant: str | None = None

    def allows(self, user) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if user.is_superuser and Role.ADMIN in self.roles:
            return True
        if user.role not in self.roles:
            return False
        if user.role in PARTNER_ROLES:
            partner = user.partner
            if partner is None or not partner.is_active:
                return False
            if self.partner_types and not (self.partner_types & partner.type_codes):
                return False
            if (
                self.member_grant
                and user.role == Role.PARTNER_MEMBER
                and not getattr(user, self.member_grant)
            ):
                return False
        return True


def capability(
    code: str,
    roles: Iterable[str],
    *,
    partner_types: Iterable[str] = (),
    member_grant: str | None = None,
) -> Capability:
    return Capability(code, frozenset(roles), frozenset(partner_types), member_grant)


# Core capabilities
VIEW_PARTNER_HOME = capability("accounts.view_partner_home", PARTNER_ROLES)
MANAGE_PARTNER_PROFILE = capability("accounts.manage_profile", {Role.PARTNER_ADMIN})
VIEW_ALL_PARTNERS = capability("accounts.view_all_partners", {Role.BD, Role.ADMIN})
USE_API = capability("accounts.use_api", PARTNER_ROLES | VENDOR_ROLES)
# The portal's administrator edits partner master data and types (Django admin).
MANAGE_PARTNERS = capability("accounts.manage_partners", {Role.ADMIN})
