"""Billing periods: calendar months `YYYY-MM` of the Asia/Shanghai calendar."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
CHART_PERIODS = 12  # the dashboard charts show this many periods, the chosen one last
CHOICE_PERIODS = 24  # how many periods the period pickers offer


def is_period(value: str) -> bool:
    return bool(PERIOD_RE.match(value or ""))


def period_of(moment: datetime) -> str:
    return timezone.localtime(moment, SHANGHAI).strftime("%Y-%m")


def current_period(now: datetime | None = None) -> str:
    return period_of(now or timezone.now())


def shift(period: str, months: int) -> str:
    year, month = (int(part) for part in period.split("-"))
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def last_closed_period(now: datetime | None = None) -> str:
    """The most recent period that has ended (the month before the current one)."""
    return shift(current_period(now), -1)


def series(last: str, count: int = CHART_PERIODS) -> list[str]:
    """`count` periods ending with `last`, oldest first."""
    return [shift(last, -offset) for offset in range(count - 1, -1, -1)]


def first_day(period: str) -> date:
    year, month = (int(part) for part in period.split("-"))
    return date(year, month, 1)


def bounds(period: str) -> tuple[datetime, datetime]:
    """[start, end) of the period as aware datetimes (Asia/Shanghai midnight)."""
    start = first_day(period)
    end = first_day(shift(period, 1))
    return (
        datetime(start.year, start.month, 1, tzinfo=SHANGHAI),
        datetime(end.year, end.month, 1, tzinfo=SHANGHAI),
    )


def choices(now: datetime | None = None, count: int = CHOICE_PERIODS) -> list[tuple[str, str]]:
    """The periods a picker offers: the current one first, then earlier ones."""
    current = current_period(now)
    return [(p, p) for p in (shift(current, -i) for i in range(count))]


def parse(value: str | None, default: str) -> str:
    """A period from a query parameter, or `default` when it is missing or malformed."""
    return value if value and is_period(value) else default
