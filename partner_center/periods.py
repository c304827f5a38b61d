"""Billing periods, in one place for every app: calendar months written `YYYY-MM`, cut at
midnight China Standard Time (billing, customers' records, incentives)."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partner_center.timezones import SHANGHAI

PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
_PERIOD_RE = re.compile(PERIOD_PATTERN)


def is_period(value: str) -> bool:
    return bool(_PERIOD_RE.match(value or ""))


def validate_period(value: str) -> None:
    if not is_period(value):
        raise ValidationError(_("A billing period is written YYYY-MM, e.g. 2026-05."))


def parse_period(value: str | None, default: str) -> str:
    """A period from a query parameter, or `default` when it is missing or malformed."""
    return value if value and is_period(value) else default


def period_of(moment: datetime) -> str:
    """The period a moment falls in (China Standard Time)."""
    return timezone.localtime(moment, SHANGHAI).strftime("%Y-%m")


def current_period(now: datetime | None = None) -> str:
    return period_of(now or timezone.now())


def shift_period(period: str, months: int) -> str:
    year, month = (int(part) for part in period.split("-"))
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def previous_period(now: datetime | None = None) -> str:
    """The most recent period that has ended (the month before the current one)."""
    return shift_period(current_period(now), -1)


def first_day(period: str) -> date:
    year, month = (int(part) for part in period.split("-"))
    return date(year, month, 1)


def period_bounds(period: str) -> tuple[datetime, datetime]:
    """[start, end) of the period as aware datetimes (China Standard Time midnight)."""
    start = first_day(period)
    end = first_day(shift_period(period, 1))
    return (
        datetime(start.year, start.month, 1, tzinfo=SHANGHAI),
        datetime(end.year, end.month, 1, tzinfo=SHANGHAI),
    )


def period_has_ended(period: str, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= period_bounds(period)[1]


def period_series(last: str, count: int) -> list[str]:
    """`count` periods ending with `last`, oldest first."""
    return [shift_period(last, -offset) for offset in range(count - 1, -1, -1)]


def period_choices(now: datetime | None = None, count: int = 24) -> list[tuple[str, str]]:
    """The periods a picker offers: the current one first, then earlier ones."""
    current = current_period(now)
    return [(p, p) for p in (shift_period(current, -i) for i in range(count))]
