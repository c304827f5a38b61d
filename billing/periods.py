"""Billing periods: the shared helpers of `partner_center.periods` under billing's names."""

from partner_center.periods import (  # noqa: F401 - re-exported for billing's modules
    PERIOD_PATTERN,
    current_period,
    is_period,
    period_bounds,
    period_has_ended,
    period_of,
    previous_period,
    shift_period,
    validate_period,
)
from partner_center.timezones import SHANGHAI  # noqa: F401
