"""Distributor -> reseller funds and quota."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.accounts.models import Partner, User
from partner_center.errors import DomainError
from partner_center.money import cny
from partner_center.notifications.messages import Message, msg
from partner_center.notifications.recipients import partner_admins
from partner_center.notifications.services import notify

from .. import ledger
from ..models import (
    Account,
    LedgerEntry,
    MoneyRequest,
)
from ..permissions import (
    FUND_RESELLERS,
)
from ._common import _reseller_account
from .money_requests import _ask_approval, _needs_approval


def _check_reseller_of(actor: User, reseller: Partner) -> None:
    if reseller.parent_distributor_id is None or reseller.parent_distributor_id != getattr(
        actor, "partner_id", None
    ):
        raise DomainError(_("This partner is not one of your tier-2 resellers."))


def _notify_reseller(reseller: Partner, title: Message) -> None:
    notify(
        recipients=list(partner_admins(reseller.pk)),
        kind="customers.reseller_funds",
        title=title,
        link=reverse("customers:funds"),
    )


def _reseller_move(
    *,
    actor: User,
    reseller: Partner,
    amount,
    reason: str,
    approval: MoneyRequest | None,
    operation: str,
    kind: str,
    entry_type: str,
    towards_reseller: bool,
    default_reason,
    notice=None,
) -> LedgerEntry | MoneyRequest:
    """One distributor → reseller movement (funds or voucher quota, either way): the
    capability, the reseller check, the second-admin limit, the ledger move, the notice."""
    require(actor, FUND_RESELLERS)
    _check_reseller_of(actor, reseller)
    amount = ledger.to_money(amount)
    if _needs_approval(reseller.parent_distributor_id, amount, approval):
        return _ask_approval(
            actor=actor,
            partner_id=reseller.parent_distributor_id,
            operation=operation,
            amount=amount,
            reseller=reseller,
            reason=reason,
        )
    account = _reseller_account(reseller, kind)
    movement = ledger.move(
        actor=actor,
        entry_type=entry_type,
        amount=amount,
        source=None if towards_reseller else account,
        target=account if towards_reseller else None,
        reason=reason or default_reason % {"d": actor.partner.name},
    )
    entry = movement.into if towards_reseller else movement.out
    if notice is not None:
        _notify_reseller(
            reseller, notice.with_params(d=actor.partner.name, amount=cny(entry.amount))
        )
    return entry


@transaction.atomic
def reseller_fund(
    *,
    actor: User,
    reseller: Partner,
    amount,
    reason: str = "",
    approval: MoneyRequest | None = None,
) -> LedgerEntry | MoneyRequest:
    """The distributor allocates money to a tier-2 reseller."""
    return _reseller_move(
        actor=actor,
        reseller=reseller,
        amount=amount,
        reason=reason,
        approval=approval,
        operation=MoneyRequest.Operation.RESELLER_FUND,
        kind=Account.Kind.RESELLER_FUNDS,
        entry_type=LedgerEntry.Type.DISTRIBUTOR_FUND,
        towards_reseller=True,
        default_reason=_("Funded by %(d)s"),
        notice=msg("%(d)s allocated %(amount)s to you"),
    )


@transaction.atomic
def reseller_reclaim(
    *,
    actor: User,
    reseller: Partner,
    amount,
    reason: str = "",
    approval: MoneyRequest | None = None,
) -> LedgerEntry | MoneyRequest:
    """The distributor takes back funds the reseller has not passed on to customers."""
    return _reseller_move(
        actor=actor,
        reseller=reseller,
        amount=amount,
        reason=reason,
        approval=approval,
        operation=MoneyRequest.Operation.RESELLER_RECLAIM,
        kind=Account.Kind.RESELLER_FUNDS,
        entry_type=LedgerEntry.Type.DISTRIBUTOR_RECLAIM,
        towards_reseller=False,
        default_reason=_("Reclaimed by %(d)s"),
    )


@transaction.atomic
def reseller_grant_quota(
    *,
    actor: User,
    reseller: Partner,
    amount,
    reason: str = "",
    approval: MoneyRequest | None = None,
) -> LedgerEntry | MoneyRequest:
    """The distributor grants voucher quota to a tier-2 reseller."""
    return _reseller_move(
        actor=actor,
        reseller=reseller,
        amount=amount,
        reason=reason,
        approval=approval,
        operation=MoneyRequest.Operation.GRANT_QUOTA,
        kind=Account.Kind.VOUCHER_QUOTA,
        entry_type=LedgerEntry.Type.QUOTA_GRANT,
        towards_reseller=True,
        default_reason=_("Granted by %(d)s"),
        notice=msg("%(d)s granted you %(amount)s of voucher quota"),
    )


@transaction.atomic
def reseller_reduce_quota(
    *,
    actor: User,
    reseller: Partner,
    amount,
    reason: str = "",
    approval: MoneyRequest | None = None,
) -> LedgerEntry | MoneyRequest:
    """The distributor takes back voucher quota the reseller has not issued."""
    return _reseller_move(
        actor=actor,
        reseller=reseller,
        amount=amount,
        reason=reason,
        approval=approval,
        operation=MoneyRequest.Operation.REDUCE_QUOTA,
        kind=Account.Kind.VOUCHER_QUOTA,
        entry_type=LedgerEntry.Type.QUOTA_REDUCE,
        towards_reseller=False,
        default_reason=_("Reduced by %(d)s"),
    )
