"""Value-added tax on bills and invoices.

[our rule] Prices on the vendor's site include VAT at 6%, so a bill's amount due already
contains the tax; an invoice splits every line's amount into a net amount and the tax in it.
The split is made per invoice line (one line per product), each rounded half-up to the fen,
and the totals are the sums of the lines (so they always add up on paper). Change
`TAX_RATE` or `split_gross` here and bills and invoices follow."""

from __future__ import annotations

from decimal import Decimal

from partner_center.money import CENT as FEN  # noqa: F401
from partner_center.money import ZERO  # noqa: F401
from partner_center.money import to_cents as to_fen  # noqa: F401

TAX_RATE = Decimal("0.06")


def split_gross(gross: Decimal, rate: Decimal = TAX_RATE) -> tuple[Decimal, Decimal]:
    """(net, tax) of a tax-inclusive amount: net = gross / (1 + rate) rounded half-up to the
    fen, tax = gross - net, so net + tax == gross exactly."""
    gross = to_fen(gross)
    net = to_fen(gross / (1 + rate))
    return net, gross - net
