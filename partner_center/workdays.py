"""Mainland-China working days, make-up days (调休) included.

Sources, strongest first:
1. days an admin entered in Django admin (`CalendarDay`);
2. the `chinese_calendar` package's official schedules;
3. for a year that package does not cover yet: Monday to Friday, less the statutory
   holidays the `holidays` package computes. Such a day is *provisional*.

A valid date never raises. An SLA deadline is the end of the n-th working day after the
start day, Asia/Shanghai time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import chinese_calendar
import holidays as holidays_lib

from partner_center.timezones import SHANGHAI

_WINDOW = 62  # days of admin overrides fetched per query while counting


class Source:
    ADMIN = "admin"
    OFFICIAL = "official"
    PROVISIONAL = "provisional"


@dataclass(frozen=True)
class DayInfo:
    date: date
    is_working: bool
    source: str
    note: str = ""

    @property
    def provisional(self) -> bool:
        return self.source == Source.PROVISIONAL


@lru_cache(maxsize=64)
def _computed_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays_lib.China(years=year).keys())


@lru_cache(maxsize=64)
def packaged_calendar_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _packaged_day(d: date) -> DayInfo:
    if packaged_calendar_covers(d.year):
        return DayInfo(d, bool(chinese_calendar.is_workday(d)), Source.OFFICIAL)
    working = d.weekday() < 5 and d not in _computed_holidays(d.year)
    return DayInfo(d, working, Source.PROVISIONAL)


def _overrides(start: date, end: date) -> dict[date, tuple[bool, str]]:
    from partner_center.workcalendar.models import CalendarDay

    rows = CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list(
        "date", "is_working_day", "note"
    )
    return {d: (working, note) for d, working, note in rows}


def day_info(d: date) -> DayInfo:
    override = _overrides(d, d).get(d)
    if override is not None:
        return DayInfo(d, override[0], Source.ADMIN, override[1])
    return _packaged_day(d)


def is_working_day(d: date) -> bool:
    return day_info(d).is_working


def _working_days_after(start: date):
    """Yield DayInfo of each working day after `start`, fetching overrides by window."""
    cursor = start
    while True:
        window_end = cursor + timedelta(days=_WINDOW)
        overrides = _overrides(cursor + timedelta(days=1), window_end)
        day = cursor
        while day < window_end:
            day += timedelta(days=1)
            if day in overrides:
                info = DayInfo(day, overrides[day][0], Source.ADMIN, overrides[day][1])
            else:
                info = _packaged_day(day)
            if info.is_working:
                yield info
        cursor = window_end


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (the start day itself never counts)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    for count, info in enumerate(_working_days_after(start), start=1):
        if count == n:
            return info.date
    raise AssertionError("unreachable")  # the generator is endless


def is_provisional_span(start: date, n: int) -> bool:
    """Whether counting n working days from `start` relies on provisional days."""
    end = add_working_days(start, n)
    return any(
        not packaged_calendar_covers(y) for y in range(start.year, end.year + 1)
    ) and not all(
        _year_complete(y)
        for y in range(start.year, end.year + 1)
        if not packaged_calendar_covers(y)
    )


def _year_complete(year: int) -> bool:
    from partner_center.workcalendar.models import CalendarYear

    return CalendarYear.objects.filter(year=year, official_complete=True).exists()


def year_has_official_data(year: int) -> bool:
    return packaged_calendar_covers(year) or _year_complete(year)


def end_of_day(d: date) -> datetime:
    return datetime.combine(d, time.max, tzinfo=SHANGHAI)


def deadline_after(moment: datetime, n: int) -> datetime:
    """End of the n-th working day after the Shanghai calendar day of `moment`."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    local_day = moment.astimezone(SHANGHAI).date()
    return end_of_day(add_working_days(local_day, n))


def working_days_left(now: datetime, deadline: datetime) -> int:
    """Working days from today (Shanghai) to the deadline's day: 0 on the last day."""
    today = now.astimezone(SHANGHAI).date()
    last = deadline.astimezone(SHANGHAI).date()
    if last <= today:
        return 0
    count, day = 0, today
    overrides = _overrides(today, last)
    while day < last:
        day += timedelta(days=1)
        working = overrides[day][0] if day in overrides else _packaged_day(day).is_working
        count += working
    return count


def working_days_left_many(now: datetime, deadlines) -> list[int]:
    """`working_days_left` for many deadlines with one calendar query (for list pages)."""
    today = now.astimezone(SHANGHAI).date()
    lasts = [d.astimezone(SHANGHAI).date() if d is not None else None for d in deadlines]
    future = [d for d in lasts if d is not None and d > today]
    if not future:
        return [0] * len(lasts)
    end = max(future)
    overrides = _overrides(today, end)
    running: dict[date, int] = {}
    count, day = 0, today
    while day < end:
        day += timedelta(days=1)
        count += overrides[day][0] if day in overrides else _packaged_day(day).is_working
        running[day] = count
    return [running[d] if d is not None and d > today else 0 for d in lasts]


def working_days_between_many(pairs) -> list[int]:
    """For each (start, end) pair of moments or Shanghai dates: the working days after the
    start's day up to and including the end's day, e.g. submitted on Friday, verified on
    Monday = 1. One calendar query for all pairs (dashboards' medians)."""

    def day(value) -> date:
        return value.astimezone(SHANGHAI).date() if isinstance(value, datetime) else value

    spans = [(day(a), day(b)) for a, b in pairs if a and b]
    if not spans:
        return []
    first = min(start for start, _end in spans)
    last = max(end for _start, end in spans)
    overrides = _overrides(first, last)
    running: dict[date, int] = {first: 0}
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        count += overrides[day][0] if day in overrides else _packaged_day(day).is_working
        running[day] = count
    return [max(0, running[end] - running[start]) if end > start else 0 for start, end in spans]
