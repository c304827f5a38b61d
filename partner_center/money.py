"""Money as people read it: CNY with two places and thousands separators."""

from decimal import ROUND_HALF_UP, Decimal


def cny(value) -> str:
    """¥12,345.60, -¥7.00 (half up to the fen); "–" for no value."""
    if value is None or value == "":
        return "–"
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"
