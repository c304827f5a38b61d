"""Customer accounts: funding, reclaiming, budgets and ledger spending."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.accounts.models import User
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError
from partner_center.money import cny

from .. import ledger
from ..models import (
    SHANGHAI,
    ZERO,
    Account,
    LedgerEntry,
    MoneyRequest,
    Voucher,
)
from ..permissions import (
    MOVE_MONEY,
)
from ._common import SPEND_TYPES, _funding_source, _reseller_account
from .money_requests import _ask_approval, _needs_approval


def _check_customer_account(account: Account) -> None:
    if account.kind != Account.Kind.CUSTOMER:
        raise DomainError(_("This is not a customer account."))
    if account.closed_at is not None:
        raise DomainError(
            _("This account was closed when the customer was unbound."), field="amount"
        )


@transaction.atomic
def account_fund(
    *, actor: User, account: Account, amount, reason: str = "", approval: MoneyRequest | None = None
) -> LedgerEntry | MoneyRequest:
    """The partner puts money into a customer's hosted account. A tier-2 reseller pays from
    the funds its distributor allocated (over-allocation is refused). Above the partner's
    limit it becomes a request a second admin approves (returned instead of the entry)."""
    require(actor, MOVE_MONEY, partner_id=account.partner_id)
    _check_customer_account(account)
    amount = ledger.to_money(amount)
    if _needs_approval(account.partner_id, amount, approval):
        return _ask_approval(
            actor=actor,
            partner_id=account.partner_id,
            operation=MoneyRequest.Operation.FUND,
            amount=amount,
            account=account,
            reason=reason,
        )
    source = _funding_source(account.partner)
    movement = ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.FUND,
        amount=amount,
        source=source,
        target=account,
        reason=reason or _("Funded by the partner"),
    )
    return movement.into


@transaction.atomic
def account_reclaim(
    *,
    actor: User,
    account: Account,
    amount=None,
    reclaim_all: bool = False,
    reason: str = "",
    approval: MoneyRequest | None = None,
) -> LedgerEntry | MoneyRequest:
    """The partner takes money back from a customer's account; a tier-2 reseller's money goes
    back to its funds. The amount is always explicit: an empty amount is refused, taking
    everything is the explicit `reclaim_all` [our rule]."""
    require(actor, MOVE_MONEY, partner_id=account.partner_id)
    _check_customer_account(account)
    if amount is None or amount == "":
        if not reclaim_all:
            raise DomainError(
                _("Enter the amount to reclaim, or choose to reclaim the whole balance."),
                field="amount",
                code="amount_required",
            )
        amount = Account.objects.get(pk=account.pk).balance
        if amount <= 0:
            raise DomainError(_("The account is empty: there is nothing to reclaim."))
    elif reclaim_all:
        raise DomainError(
            _("Give an amount or reclaim the whole balance, not both."), field="amount"
        )
    amount = ledger.to_money(amount)
    if _needs_approval(account.partner_id, amount, approval):
        return _ask_approval(
            actor=actor,
            partner_id=account.partner_id,
            operation=MoneyRequest.Operation.RECLAIM,
            amount=amount,
            account=account,
            reason=reason,
        )
    target = None
    if account.partner.parent_distributor_id:
        target = _reseller_account(account.partner, Account.Kind.RESELLER_FUNDS)
    movement = ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.RECLAIM,
        amount=amount,
        source=account,
        target=target,
        reason=reason or _("Reclaimed by the partner"),
    )
    return movement.out


@transaction.atomic
def account_set_budget(*, actor: User, account: Account, monthly_budget) -> Account:
    """Set the most the customer may spend per month; this unfreezes a new account."""
    require(actor, MOVE_MONEY, partner_id=account.partner_id)
    _check_customer_account(account)
    budget = ledger.to_money(monthly_budget, field="monthly_budget", allow_zero=True)
    account = Account.objects.select_for_update().get(pk=account.pk)
    before = account.monthly_budget
    was_frozen = account.frozen
    account.monthly_budget = budget
    account.frozen = False
    account.save(update_fields=["monthly_budget", "frozen"])
    record_event(
        actor=actor,
        subject=account.association,
        verb=Verb.ACCOUNT_BUDGET_SET,
        from_state="frozen" if was_frozen else "",
        to_state="open",
        data={"before": str(before) if before is not None else None, "budget": str(budget)},
    )
    return account


def month_spend(account: Account, now: datetime) -> Decimal:
    """What the account paid for purchases, renewals and upgrades this calendar month."""
    local = timezone.localtime(now, SHANGHAI)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    total = LedgerEntry.objects.filter(
        account=account, entry_type__in=SPEND_TYPES, created_at__gte=start
    ).aggregate(total=Sum("amount"))["total"]
    return -(total or ZERO)


AUTO_RENEW = "auto_renew"  # actor label of the auto-renewal task
VENDOR_SITE = "vendor_site"  # actor label of records imported from the vendor's site


def _spend(
    *,
    actor: User | None,
    account: Account,
    amount: Decimal,
    entry_type: str,
    order,
    reason,
    now,
    actor_label: str = "",
):
    """Pay `amount` from a customer's hosted account: refused while frozen, beyond the
    monthly budget, or beyond the balance."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.closed_at is not None:
        raise DomainError(
            _("The customer's hosted account was closed when it was unbound."), field="amount"
        )
    if account.frozen:
        raise DomainError(
            _("The customer's account is frozen until its partner sets a monthly budget."),
            field="amount",
            code="frozen",
        )
    if account.monthly_budget is not None:
        spent = month_spend(account, now)
        if spent + amount > account.monthly_budget:
            raise DomainError(
                _(
                    "This exceeds the customer's monthly budget: %(budget)s per month, "
                    "%(spent)s spent this month, %(needed)s needed."
                )
                % {
                    "budget": cny(account.monthly_budget),
                    "spent": cny(spent),
                    "needed": cny(amount),
                },
                field="amount",
                code="over_budget",
            )
    return ledger.move(
        actor=actor,
        entry_type=entry_type,
        amount=amount,
        source=account,
        target=None,
        order=order,
        reason=reason,
        actor_label=actor_label,
    )


def _spend_voucher(
    *,
    actor: User | None,
    voucher: Voucher,
    amount: Decimal,
    now,
    order=None,
    reason: str = "",
    field: str = "voucher",
    actor_label: str = "",
) -> None:
    """Pay `amount` from a voucher that is active at `now`; the reason names the order
    unless one is given."""
    voucher = Voucher.objects.select_related("account").get(pk=voucher.pk)
    state = voucher.state(now)
    if state != "active":
        raise DomainError(
            _("Voucher %(code)s cannot be used: %(state)s.")
            % {"code": voucher.code, "state": voucher.STATE_LABELS[state]},
            field=field,
        )
    ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.VOUCHER_SPEND,
        amount=amount,
        source=voucher.account,
        target=None,
        order=order,
        reason=reason or _("Order %(no)s") % {"no": order.order_no},
        field=field,
        actor_label=actor_label,
    )
