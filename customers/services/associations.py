"""Binding and unbinding customers."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.accounts.models import User
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError
from partner_center.notifications.messages import msg
from partner_center.notifications.services import notify

from .. import ledger
from ..models import (
    Account,
    Association,
    LedgerEntry,
    Resource,
    Voucher,
)
from ..permissions import (
    UNBIND_AS_PARTNER_OR_ADMIN,
)
from ._common import _reseller_account
from .vouchers import _voucher_return


@transaction.atomic
def customer_unbind(
    *, actor: User | None, association: Association, reason: str = "", now: datetime | None = None
) -> Association:
    """End the association now. The hosted account's balance goes back to the partner (to a
    reseller's funds) and the account closes; the customer's unused vouchers go back to the
    reseller's quota [our rule]; its resources leave the partner. Consumption after this
    moment is booked to the customer's own main account."""
    require(actor, UNBIND_AS_PARTNER_OR_ADMIN, partner_id=association.partner_id)
    now = now or timezone.now()
    association = Association.objects.select_for_update().get(pk=association.pk)
    if association.state != Association.State.ACTIVE:
        raise DomainError(_("This customer is not associated any more."))
    association.state = Association.State.UNBOUND
    association.unbound_at = now
    association.unbound_by = actor if getattr(actor, "pk", None) else None
    association.unbind_reason = reason.strip()[:200]
    association.save(update_fields=["state", "unbound_at", "unbound_by", "unbind_reason"])
    account = Account.objects.filter(association=association).first()
    if account is not None:
        account = Account.objects.select_for_update().get(pk=account.pk)
        if account.balance > 0:
            target = None
            if association.partner.parent_distributor_id:
                target = _reseller_account(association.partner, Account.Kind.RESELLER_FUNDS)
            ledger.move(
                actor=actor,
                entry_type=LedgerEntry.Type.UNBIND_RECLAIM,
                amount=account.balance,
                source=account,
                target=target,
                reason=_("Customer unbound"),
            )
            account.refresh_from_db()
        account.closed_at = now
        account.frozen = True
        account.save(update_fields=["closed_at", "frozen"])
    for voucher in Voucher.objects.filter(
        association=association, revoked_at__isnull=True
    ).select_related("account"):
        _voucher_return(actor=actor, voucher=voucher, reason=_("Customer unbound"), now=now)
    Resource.objects.filter(association=association).update(partner=None, association=None)
    record_event(
        actor=actor,
        subject=association,
        verb=Verb.ASSOCIATION_UNBOUND,
        from_state="active",
        to_state="unbound",
        reason=association.unbind_reason,
        at=now,
    )
    customer_user = association.customer.user
    if customer_user is not None:
        notify(
            recipients=[customer_user],
            kind="customers.unbound",
            title=msg(
                "%(partner)s ended its association with your account",
                partner=association.partner.name,
            ),
            body=msg("From now on your consumption is booked to your own main account."),
            link=reverse("customers:me"),
        )
    return association
