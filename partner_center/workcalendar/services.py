import csv
import io
import json
from datetime import date

from django.core.mail import mail_admins
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.errors import DomainError
from partner_center.workdays import SHANGHAI, is_working_day, year_has_official_data

from .models import CalendarDay, CalendarYear


def missing_next_year(today: date | None = None) -> int | None:
    """From 1 December on: next year's number when its official schedule is missing."""
    today = today or timezone.now().astimezone(SHANGHAI).date()
    if today.month != 12:
        return None
    return None if year_has_official_data(today.year + 1) else today.year + 1


def warn_missing_next_year(today: date | None = None) -> bool:
    """E-mail the admins and notify staff users when next year has no official data."""
    year = missing_next_year(today)
    if year is None:
        return False
    from partner_center.accounts.models import User
    from partner_center.notifications.messages import msg
    from partner_center.notifications.services import notify

    subject = msg("Working-day calendar: %(year)s is not entered yet", year=year)
    body = msg(
        "SLA deadlines that reach into %(year)s are computed from provisional days "
        "(Monday to Friday less computed statutory holidays). Enter the published holiday "
        "and make-up days in Django admin, then tick the year as complete.",
        year=year,
    )
    mail_admins(str(subject), str(body))
    notify(
        recipients=User.objects.filter(is_staff=True, is_active=True),
        kind="calendar_missing",
        title=subject,
        body=body,
        link="/admin/workcalendar/calendarday/",
        email=False,
    )
    return True


# ---- Changing the calendar (R4.3) --------------------------------------------------------
# Every change of calendar days goes through these: they send `calendar_changed` with the
# days whose working status changed, in the same transaction, so running clocks (the
# opportunities app listens) are recomputed before anyone reads a stale deadline.

# Sent with `dates` (a sorted list of days whose working status changed) and `actor`.
calendar_changed = Signal()


def _require_admin(actor) -> None:
    """Staff with the admin site; `None` is the operator at the command line."""
    from django.core.exceptions import PermissionDenied

    if actor is None:
        return
    if not (actor.is_superuser or actor.is_staff):
        raise PermissionDenied


def _changed(before: dict[date, bool]) -> list[date]:
    return sorted(d for d, working in before.items() if is_working_day(d) != working)


def _announce(actor, changed: list[date]) -> list[date]:
    if changed:
        calendar_changed.send(sender=CalendarDay, dates=changed, actor=actor)
    return changed


@transaction.atomic
def calendar_day_set(*, actor, day: date, working: bool, note: str = "") -> list[date]:
    """Enter (or correct) one day; returns the changed days (empty or [day])."""
    _require_admin(actor)
    before = {day: is_working_day(day)}
    CalendarDay.objects.update_or_create(
        date=day, defaults={"is_working_day": working, "note": note or ""}
    )
    return _announce(actor, _changed(before))


@transaction.atomic
def calendar_days_delete(*, actor, days) -> list[date]:
    """Remove admin days (the packaged calendar applies again to them)."""
    _require_admin(actor)
    days = list(days)
    before = {d: is_working_day(d) for d in days}
    CalendarDay.objects.filter(date__in=days).delete()
    return _announce(actor, _changed(before))


_TRUE = {"1", "true", "yes", "y", "working", "workday", "work", "是", "班", "上班"}
_FALSE = {"0", "false", "no", "n", "holiday", "off", "rest", "否", "休", "休息"}


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(value)


def parse_schedule(content: str, name: str = "") -> tuple[list[tuple[date, bool, str]], bool]:
    """A schedule file: JSON {"year": 2027, "complete": true, "days": [{"date": "2027-01-01",
    "working": false, "note": "New Year"}, ...]} (or just the list), or CSV with the columns
    date, working, note (working: 1/0, yes/no, workday/holiday). Returns (days, complete)."""
    complete = False
    try:
        if name.lower().endswith(".json") or content.lstrip().startswith(("{", "[")):
            data = json.loads(content)
            if isinstance(data, dict):
                complete = bool(data.get("complete", False))
                data = data.get("days", [])
            raw = [
                (r["date"], r.get("working", r.get("is_working_day")), r.get("note", ""))
                for r in data
            ]
        else:
            reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
            raw = [
                (r.get("date"), r.get("working", r.get("is_working_day")), r.get("note") or "")
                for r in reader
            ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DomainError(
            _("The file could not be read: %(error)s") % {"error": exc}, field="file"
        ) from None
    days = []
    for number, (text, working, note) in enumerate(raw, start=1):
        try:
            days.append(
                (date.fromisoformat(str(text).strip()), _flag(working), str(note or "")[:200])
            )
        except (ValueError, TypeError):
            raise DomainError(
                _("Line %(line)s: give a date (YYYY-MM-DD) and whether it is a working day.")
                % {"line": number},
                field="file",
            ) from None
    if not days:
        raise DomainError(_("The file has no days."), field="file")
    if len({d.year for d, _w, _n in days}) != 1:
        raise DomainError(_("A schedule file holds the days of one year."), field="file")
    return days, complete


@transaction.atomic
def calendar_load(
    *, actor, days: list[tuple[date, bool, str]], complete: bool = False
) -> list[date]:
    """Load a year's official schedule (holidays and make-up days) in one go; running clocks
    are recomputed once. With `complete` the year is marked as officially entered."""
    _require_admin(actor)
    before = {d: is_working_day(d) for d, _w, _n in days}
    for d, working, note in days:
        CalendarDay.objects.update_or_create(
            date=d, defaults={"is_working_day": working, "note": note}
        )
    if complete:
        CalendarYear.objects.update_or_create(
            year=days[0][0].year, defaults={"official_complete": True}
        )
    return _announce(actor, _changed(before))
