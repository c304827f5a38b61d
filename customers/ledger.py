"""The one way money moves: `move` takes an amount out of one account and into another
(either side may be outside the portal, `None`), under row locks, and writes one append-only
ledger entry per account touched. Balances never go below zero: the check here refuses it
with a message, and the database CHECK constraint backs it up. In the same transaction it adds
each entry to its account's running total for the entry's type (`LedgerTotal`), which pages
read instead of summing the ledger; `totals_out_of_step` recomputes the sums to prove it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import connection, transaction
from django.db.models import Count, DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.errors import DomainError
from partner_center.money import CENT, cny

from .models import Account, LedgerEntry, LedgerTotal

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
        _add_to_total(acc, entry_type, delta)
    # Callers holding the objects see the new balances.
    if source is not None:
        source.balance = src.balance
    if target is not None:
        target.balance = dst.balance
    return Movement(transfer, entries["out"], entries["into"])


def _add_to_total(account: Account, entry_type: str, amount: Decimal) -> None:
    """Add one entry to its running total. The caller holds the account's row lock, so no
    other movement on the account reads or writes its totals until this one commits (the
    row for a type the account never had is created without a race)."""
    updated = LedgerTotal.objects.filter(account=account, entry_type=entry_type).update(
        amount=F("amount") + amount, entries=F("entries") + 1
    )
    if not updated:
        LedgerTotal.objects.create(account=account, entry_type=entry_type, amount=amount, entries=1)


@dataclass(frozen=True)
class TotalMismatch:
    account_id: int
    entry_type: str
    ledger_sum: Decimal
    ledger_entries: int
    total: Decimal
    total_entries: int

    def __str__(self) -> str:
        return (
            f"account #{self.account_id} {self.entry_type}: ledger {self.ledger_sum} "
            f"({self.ledger_entries} entries), total {self.total} ({self.total_entries})"
        )


def totals_out_of_step(account_ids=None) -> list[TotalMismatch]:
    """Every (account, entry type) whose running total is not the sum and the number of its
    ledger entries (should be none): the entries summed again, compared with the totals.
    `account_ids` narrows it to some accounts."""
    entries = LedgerEntry.objects.order_by()
    totals = LedgerTotal.objects.order_by()
    if account_ids is not None:
        entries = entries.filter(account_id__in=account_ids)
        totals = totals.filter(account_id__in=account_ids)
    summed = {
        (row["account_id"], row["entry_type"]): (row["total"], row["n"])
        for row in entries.values("account_id", "entry_type").annotate(
            total=Sum("amount"), n=Count("pk")
        )
    }
    kept = {
        (row["account_id"], row["entry_type"]): (row["amount"], row["entries"])
        for row in totals.values("account_id", "entry_type", "amount", "entries")
    }
    nothing = (Decimal("0.00"), 0)
    return [
        TotalMismatch(key[0], key[1], *summed.get(key, nothing), *kept.get(key, nothing))
        for key in sorted(summed.keys() | kept.keys())
        if summed.get(key, nothing) != kept.get(key, nothing)
    ]


@transaction.atomic
def rebuild_totals() -> int:
    """Recompute every running total from the ledger (for data written around `move`, as the
    benchmark's bulk SQL does). Returns the number of totals."""
    # Entries appended meanwhile would be missed: hold them off until this commits.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE customers_ledgerentry IN SHARE MODE")
    LedgerTotal.objects.all().delete()
    rows = (
        LedgerEntry.objects.order_by()
        .values("account_id", "entry_type")
        .annotate(total=Sum("amount"), n=Count("pk"))
    )
    return len(
        LedgerTotal.objects.bulk_create(
            (
                LedgerTotal(
                    account_id=r["account_id"],
                    entry_type=r["entry_type"],
                    amount=r["total"],
                    entries=r["n"],
                )
                for r in rows.iterator(chunk_size=5000)
            ),
            batch_size=5000,
        )
    )


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
