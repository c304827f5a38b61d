"""Money, in one place: amounts are Decimal CNY with two places (the fen), rounded half up;
stored in `money_field` columns; read as ¥12,345.60."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models

ZERO = Decimal("0.00")
CENT = Decimal("0.01")  # one fen


def to_cents(value) -> Decimal:
    """Round to the fen, half up (how amounts are settled)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money_field(verbose_name, *, max_digits: int = 14, **kwargs) -> models.DecimalField:
    """A CNY amount column with two places."""
    return models.DecimalField(verbose_name, max_digits=max_digits, decimal_places=2, **kwargs)


def cny(value) -> str:
    """¥12,345.60, -¥7.00 (half up to the fen); "–" for no value."""
    if value is None or value == "":
        return "–"
    amount = to_cents(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"
