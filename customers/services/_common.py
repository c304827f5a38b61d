"""Constants and small helpers shared by the customer service areas."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.models import Partner
from partner_center.errors import DomainError

from ..models import (
    SHANGHAI,
    Account,
    Association,
    Customer,
    LedgerEntry,
    Order,
    Resource,
)

INVITATION_VALID_FOR = timedelta(days=7)  # [our rule] as long as a member invitation
AUTO_RENEW_LEAD = timedelta(days=3)  # [our rule] auto-renew from 3 days before expiry
MAX_RENEWAL_PERIODS = 36
SPEND_TYPES = (LedgerEntry.Type.PURCHASE, LedgerEntry.Type.RENEWAL, LedgerEntry.Type.UPGRADE)
ORDER_ENTRY_TYPE = {
    Order.Type.NEW: LedgerEntry.Type.PURCHASE,
    Order.Type.RENEWAL: LedgerEntry.Type.RENEWAL,
    Order.Type.UPGRADE: LedgerEntry.Type.UPGRADE,
}


# ---------------------------------------------------------------- helpers


def association_at(customer: Customer, moment: datetime) -> Association | None:
    """The association in force at `moment` (associated before it, not unbound before it)."""
    assoc = (
        customer.associations.select_related("partner")
        .filter(associated_at__lte=moment)
        .order_by("-associated_at", "-id")
        .first()
    )
    if assoc is not None and (assoc.unbound_at is None or assoc.unbound_at > moment):
        return assoc
    return None


def add_periods(moment: datetime, unit: str, n: int) -> datetime:
    """`moment` plus n months or years, on the same day (the month's last day if shorter),
    counted in Asia/Shanghai."""
    local = timezone.localtime(moment, SHANGHAI)
    months = n * (12 if unit == Resource.PeriodUnit.YEAR else 1)
    total = local.year * 12 + (local.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def _funding_source(partner: Partner) -> Account | None:
    """Where a partner's money for its customers comes from: a tier-2 reseller spends the
    funds its distributor allocated; any other partner pays with its own money (None)."""
    if partner.parent_distributor_id is None:
        return None
    account = Account.objects.filter(partner=partner, kind=Account.Kind.RESELLER_FUNDS).first()
    if account is None:
        raise DomainError(_("Your distributor has not allocated funds to you yet."), field="amount")
    return account


def _reseller_account(reseller: Partner, kind: str) -> Account:
    account, _created = Account.objects.get_or_create(partner=reseller, kind=kind)
    return account
