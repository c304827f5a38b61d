"""Settings of the subscription topics (the digests read them)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.errors import DomainError

from .models import DEFAULT_RESELLER_LOW_BALANCE, TopicSettings
from .permissions import SET_TOPIC_THRESHOLDS

MAX_THRESHOLD = Decimal("100000000.00")


def reseller_low_balance_of(partner_id: int | None) -> Decimal:
    settings = TopicSettings.objects.filter(partner_id=partner_id).first()
    return settings.reseller_low_balance if settings else DEFAULT_RESELLER_LOW_BALANCE


@transaction.atomic
def reseller_threshold_set(*, actor, amount) -> TopicSettings:
    """A distributor's partner admin sets below which balance (CNY) a reseller's funds or
    voucher quota are reported in the reseller-information digest [our rule R4.6]."""
    require(actor, SET_TOPIC_THRESHOLDS, partner_id=actor.partner_id)
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter an amount in yuan."), field="reseller_low_balance") from None
    if not Decimal("0") <= value <= MAX_THRESHOLD:
        raise DomainError(
            _("Enter an amount from 0 to 100,000,000 yuan."), field="reseller_low_balance"
        )
    settings, _created = TopicSettings.objects.update_or_create(
        partner_id=actor.partner_id, defaults={"reseller_low_balance": value}
    )
    return settings
