"""Distributor -> reseller funds and quota."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.accounts.models import Partner, User
from partner_center.errors import DomainError
from partner_center.money import cny
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


def _notify_reseller(reseller: Partner, title: str) -> None:
    notify(
        recipients=list(partner_admins(reseller.pk)),
        kind="customers.reseller_funds",
        title=title,
        link=reverse("customers:funds"),
    )


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
    require(actor, FUND_RESELLERS)
    _check_reseller_of(actor, reseller)
    amount = ledger.to_money(amount)
    if _needs_approval(reseller.parent_distributor_id, amount, approval):
        return _ask_approval(
            actor=actor,
            partner_id=reseller.parent_distributor_id,
            operation=MoneyRequest.Operation.RESELLER_FUND,
            amount=amount,
            reseller=reseller,
            reason=reason,
        )
    account = _reseller_account(reseller, Account.Kind.RESELLER_FUNDS)
    movement = ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.DISTRIBUTOR_FUND,
        amount=amount,
        source=None,
        target=account,
        reason=reason or _("Funded by %(d)s") % {"d": actor.partner.name},
    )
    _notify_reseller(
        reseller,
        _("%(d)s allocated %(amount)s to you")
        % {"d": actor.partner.name, "amount": cny(movement.into.amount)},
    )
    return movement.into


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
    require(actor, FUND_RESELLERS)
    _check_reseller_of(actor, reseller)
    amount = ledger.to_money(amount)
    if _needs_approval(reseller.parent_distributor_id, amount, approval):
        return _ask_approval(
            actor=actor,
            partner_id=reseller.parent_distributor_id,
            operation=MoneyRequest.Operation.RESELLER_RECLAIM,
            amount=amount,
            reseller=reseller,
            reason=reason,
        )
    account = _reseller_account(reseller, Account.Kind.RESELLER_FUNDS)
    movement = ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.DISTRIBUTOR_RECLAIM,
        amount=amount,
        source=account,
        target=None,
        reason=reason or _("Reclaimed by %(d)s") % {"d": actor.partner.name},
    )
    return movement.out


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
    require(actor, FUND_RESELLERS)
    _check_reseller_of(actor, reseller)
    amount = ledger.to_money(amount)
    if _needs_approval(reseller.parent_distributor_id, amount, approval):
        return _ask_approval(
            actor=actor,
            partner_id=reseller.parent_distributor_id,
            operation=MoneyRequest.Operation.GRANT_QUOTA,
            amount=amount,
            reseller=reseller,
            reason=reason,
        )
    account = _reseller_account(reseller, Account.Kind.VOUCHER_QUOTA)
    movement = ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.QUOTA_GRANT,
        amount=amount,
        source=None,
        target=account,
        reason=reason or _("Granted by %(d)s") % {"d": actor.partner.name},
    )
    _notify_reseller(
        reseller,
        _("%(d)s granted you %(amount)s of voucher quota")
        % {"d": actor.partner.name, "amount": cny(movement.into.amount)},
    )
    return movement.into


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
    require(actor, FUND_RESELLERS)
    _check_reseller_of(actor, reseller)
    amount = ledger.to_money(amount)
    if _needs_approval(reseller.parent_distributor_id, amount, approval):
        return _ask_approval(
            actor=actor,
            partner_id=reseller.parent_distributor_id,
            operation=MoneyRequest.Operation.REDUCE_QUOTA,
            amount=amount,
            reseller=reseller,
            reason=reason,
        )
    account = _reseller_account(reseller, Account.Kind.VOUCHER_QUOTA)
    movement = ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.QUOTA_REDUCE,
        amount=amount,
        source=account,
        target=None,
        reason=reason or _("Reduced by %(d)s") % {"d": actor.partner.name},
    )
    return movement.out
