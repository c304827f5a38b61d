"""Distributor -> reseller funds and quota."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


@dataclass(frozen=True)
class _Movement:
    """One kind of movement between a distributor and its reseller."""

    operation: str  # what a second admin's approval names it
    kind: str  # the reseller's account it moves on
    entry_type: str
    towards_reseller: bool
    default_reason: Any  # lazy text; %(d)s is the distributor's name
    notice: Message | None = None  # what the reseller is told, if anything


def _reseller_move(
    movement: _Movement,
    *,
    actor: User,
    reseller: Partner,
    amount,
    reason: str,
    approval: MoneyRequest | None,
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
            operation=movement.operation,
            amount=amount,
            reseller=reseller,
            reason=reason,
        )
    account = _reseller_account(reseller, movement.kind)
    towards = movement.towards_reseller
    moved = ledger.move(
        actor=actor,
        entry_type=movement.entry_type,
        amount=amount,
        source=None if towards else account,
        target=account if towards else None,
        reason=reason or movement.default_reason % {"d": actor.partner.name},
    )
    entry = moved.into if towards else moved.out
    if movement.notice is not None:
        _notify_reseller(
            reseller, movement.notice.with_params(d=actor.partner.name, amount=cny(entry.amount))
        )
    return entry


def _reseller_service(name: str, movement: _Movement, doc: str):
    """A service moving money or quota one way between a distributor and its reseller."""

    @transaction.atomic
    def service(
        *,
        actor: User,
        reseller: Partner,
        amount,
        reason: str = "",
        approval: MoneyRequest | None = None,
    ) -> LedgerEntry | MoneyRequest:
        return _reseller_move(
            movement,
            actor=actor,
            reseller=reseller,
            amount=amount,
            reason=reason,
            approval=approval,
        )

    service.__name__ = service.__qualname__ = name
    service.__doc__ = doc
    return service


# The four differ only in their movement; the pages, the API and the second admin's
# approval call them by name.
reseller_fund = _reseller_service(
    "reseller_fund",
    _Movement(
        MoneyRequest.Operation.RESELLER_FUND,
        Account.Kind.RESELLER_FUNDS,
        LedgerEntry.Type.DISTRIBUTOR_FUND,
        towards_reseller=True,
        default_reason=gettext_lazy("Funded by %(d)s"),
        notice=msg("%(d)s allocated %(amount)s to you"),
    ),
    "The distributor allocates money to a tier-2 reseller.",
)
reseller_reclaim = _reseller_service(
    "reseller_reclaim",
    _Movement(
        MoneyRequest.Operation.RESELLER_RECLAIM,
        Account.Kind.RESELLER_FUNDS,
        LedgerEntry.Type.DISTRIBUTOR_RECLAIM,
        towards_reseller=False,
        default_reason=gettext_lazy("Reclaimed by %(d)s"),
    ),
    "The distributor takes back funds the reseller has not passed on to customers.",
)
reseller_grant_quota = _reseller_service(
    "reseller_grant_quota",
    _Movement(
        MoneyRequest.Operation.GRANT_QUOTA,
        Account.Kind.VOUCHER_QUOTA,
        LedgerEntry.Type.QUOTA_GRANT,
        towards_reseller=True,
        default_reason=gettext_lazy("Granted by %(d)s"),
        notice=msg("%(d)s granted you %(amount)s of voucher quota"),
    ),
    "The distributor grants voucher quota to a tier-2 reseller.",
)
reseller_reduce_quota = _reseller_service(
    "reseller_reduce_quota",
    _Movement(
        MoneyRequest.Operation.REDUCE_QUOTA,
        Account.Kind.VOUCHER_QUOTA,
        LedgerEntry.Type.QUOTA_REDUCE,
        towards_reseller=False,
        default_reason=gettext_lazy("Reduced by %(d)s"),
    ),
    "The distributor takes back voucher quota the reseller has not issued.",
)
