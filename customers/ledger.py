"""The one way money moves: `move` takes an amount out of one account and into another
(either side may be outside the portal, `None`), under row locks, and writes one append-only
ledger entry per account touched. Balances never go below zero: the check here refuses it
with a message, and the database CHECK constraint backs it up."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.errors import DomainError
from partner_center.money import CENT, cny

from .models import Account, LedgerEntry

MAX_AMOUNT = Decimal("999999999999.99")


def to_money(value, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """A positive amount in CNY with two places, or a DomainError naming `field`."""
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("Enter an amount in CNY, e.g. 1000.00."), field=field) from None
    if amount < 0 or (amount == 0 and not allow_zero):
        raise DomainError(_("The amount must be more than zero."), field=field)
    if amount > MAX_AMOUNT:
        raise DomainError(_("The amount is too large."), field=field)
    return amount


@dataclass(frozen=True)
class Movement:
    transfer: uuid.UUID
    out: LedgerEntry | None
    into: LedgerEntry | None


def lock_accounts(*accounts: Account | None) -> dict[int, Account]:
    """Lock the accounts' rows (in id order, so two movements never deadlock) and return
    fresh copies by id."""
    ids = sorted({a.pk for a in accounts if a is not None})
    if not ids:
        return {}
    return {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


@transaction.atomic
def move(
    *,
    actor,
    entry_type: str,
    amount,
    source: Account | None,
    target: Account | None,
    reason: str = "",
    order=None,
    actor_label: str = "",
    field: str = "amount",
) -> Movement:
    """Move `amount` from `source` to `target`. `None` is money outside the portal (the
    partner's own money, the distributor's, the vendor's)."""
    amount = to_money(amount, field=field)
    if source is None and target is None:
        raise ValueError("A movement needs at least one account")
    if source is not None and target is not None and source.pk == target.pk:
        raise ValueError("A movement needs two different accounts")
    locked = lock_accounts(source, target)
    src = locked.get(source.pk) if source is not None else None
    dst = locked.get(target.pk) if target is not None else None
    for acc in (src, dst):
        if acc is not None and acc.closed_at is not None:
            raise DomainError(_("This account is closed."), field=field)
    if src is not None and src.balance < amount:
        raise DomainError(
            _("The balance is too low: %(available)s available, %(needed)s needed.")
            % {"available": cny(src.balance), "needed": cny(amount)},
            field=field,
            code="balance_too_low",
        )
    transfer = uuid.uuid4()
    now = timezone.now()
    who = actor if getattr(actor, "pk", None) else None
    label = "" if who else (actor_label or "system")
    entries: dict[str, LedgerEntry | None] = {"out": None, "into": None}
    for side, acc, other, delta in (("out", src, dst, -amount), ("into", dst, src, amount)):
        if acc is None:
            continue
        acc.balance = acc.balance + delta
        acc.save(update_fields=["balance"])
        entries[side] = LedgerEntry.objects.create(
            account=acc,
            transfer=transfer,
            entry_type=entry_type,
            amount=delta,
            balance_after=acc.balance,
            counter_account=other,
            order=order,
            actor=who,
            actor_label=label,
            reason=str(reason)[:300],
            created_at=now,
        )
    # Callers holding the objects see the new balances.
    if source is not None:
        source.balance = src.balance
    if target is not None:
        target.balance = dst.balance
    return Movement(transfer, entries["out"], entries["into"])


def accounts_out_of_balance():
    """Accounts whose ledger entries do not sum to their balance (should be none)."""
    sums = (
        LedgerEntry.objects.filter(account=OuterRef("pk"))
        .values("account")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        Account.objects.annotate(
            ledger_sum=Coalesce(
                Subquery(sums, output_field=DecimalField(max_digits=14, decimal_places=2)),
                Value(Decimal("0.00")),
            )
        )
        .exclude(ledger_sum=F("balance"))
        .order_by("pk")
    )
