"""Billing periods as incentives uses them; the helpers live in `partner_center.periods`."""

from __future__ import annotations

from datetime import datetime

from partner_center.periods import (  # noqa: F401 - re-exported for incentives' modules
    current_period,
    first_day,
    is_period,
    period_choices,
    period_of,
    period_series,
)
from partner_center.periods import parse_period as parse  # noqa: F401
from partner_center.periods import period_bounds as bounds  # noqa: F401
from partner_center.periods import previous_period as last_closed_period  # noqa: F401
from partner_center.periods import shift_period as shift  # noqa: F401
from partner_center.timezones import SHANGHAI  # noqa: F401

CHART_PERIODS = 12  # the dashboard charts show this many periods, the chosen one last
CHOICE_PERIODS = 24  # how many periods the period pickers offer


def series(last: str, count: int = CHART_PERIODS) -> list[str]:
    """`count` periods ending with `last`, oldest first."""
    return period_series(last, count)


def choices(now: datetime | None = None, count: int = CHOICE_PERIODS) -> list[tuple[str, str]]:
    """The periods a picker offers: the current one first, then earlier ones."""
    return period_choices(now, count)
