"""Billing periods: calendar months written `YYYY-MM`, cut at midnight China Standard Time."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
_PERIOD_RE = re.compile(PERIOD_PATTERN)


def is_period(value: str) -> bool:
    return bool(_PERIOD_RE.match(value or ""))


def validate_period(value: str) -> None:
    if not is_period(value):
        raise ValidationError(_("A billing period is written YYYY-MM, e.g. 2026-05."))


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
    return shift_period(current_period(now), -1)


def period_bounds(period: str) -> tuple[datetime, datetime]:
    """[start, end) of the period as aware datetimes (China Standard Time)."""
    year, month = (int(part) for part in period.split("-"))
    start = datetime(year, month, 1, tzinfo=SHANGHAI)
    nxt = shift_period(period, 1)
    end = datetime(int(nxt[:4]), int(nxt[5:]), 1, tzinfo=SHANGHAI)
    return start, end


def period_has_ended(period: str, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= period_bounds(period)[1]
