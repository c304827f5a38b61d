from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from partner_center import workdays
from partner_center.notifications.models import Notification
from partner_center.workcalendar.models import CalendarDay, CalendarYear
from partner_center.workcalendar.services import missing_next_year, warn_missing_next_year
from partner_center.workdays import add_working_days, deadline_after, is_working_day

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def test_national_day_2026_and_its_make_up_saturday():
    for day in range(1, 8):
        assert not is_working_day(date(2026, 10, day)), day
    assert is_working_day(date(2026, 10, 10))  # make-up Saturday
    assert not is_working_day(date(2026, 10, 11))  # ordinary Sunday
    # From the eve of the holiday: the 8th is the first working day, the 10th (Saturday) the 3rd.
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert add_working_days(date(2026, 9, 30), 10) == date(2026, 10, 20)


def test_spring_festival_2026():
    # Holiday 15-23 February; Saturday the 14th and Saturday the 28th are make-up days.
    assert is_working_day(date(2026, 2, 14))
    assert not is_working_day(date(2026, 2, 17))
    assert is_working_day(date(2026, 2, 28))
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 13), 3) == date(2026, 2, 25)


def test_counting_starts_the_day_after_start():
    assert add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 24)  # Monday -> Tuesday
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Friday -> Monday
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 23), 0)


def test_turn_of_the_year_2026_2027_is_provisional_but_computed():
    assert not workdays.packaged_calendar_covers(2027)
    info = workdays.day_info(date(2027, 1, 1))
    assert info.provisional and not info.is_working  # New Year's Day, computed
    # 28 Dec 2026 + 10 working days: 29, 30, 31 Dec, (1 Jan off), 4-8, 11, 12 Jan.
    assert add_working_days(date(2026, 12, 28), 10) == date(2027, 1, 12)
    assert workdays.is_provisional_span(date(2026, 12, 28), 10)


def test_years_far_ahead_never_raise():
    assert add_working_days(date(2035, 12, 30), 3).year == 2036
    assert isinstance(is_working_day(date(2040, 2, 29)), bool)


def test_admin_entered_days_win_over_packages():
    CalendarDay.objects.create(date=date(2027, 2, 20), is_working_day=True, note="make-up Saturday")
    CalendarDay.objects.create(date=date(2026, 11, 24), is_working_day=False, note="corrected")
    assert is_working_day(date(2027, 2, 20))
    assert not is_working_day(date(2026, 11, 24))
    assert workdays.day_info(date(2026, 11, 24)).source == workdays.Source.ADMIN
    assert add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 25)


def test_completed_year_is_not_provisional():
    CalendarYear.objects.create(year=2027, official_complete=True)
    assert not workdays.is_provisional_span(date(2026, 12, 28), 10)


def test_deadline_is_end_of_day_in_shanghai():
    # 23:30 UTC on 30 Sep is already 1 Oct in Shanghai: counting starts from 1 Oct.
    moment = datetime(2026, 9, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    deadline = deadline_after(moment, 1)
    assert deadline.tzinfo is not None
    local = deadline.astimezone(SH)
    assert local.date() == date(2026, 10, 8)
    assert (local.hour, local.minute) == (23, 59)
    assert deadline_after(datetime(2026, 9, 30, 10, tzinfo=SH), 10).astimezone(SH).date() == date(
        2026, 10, 20
    )
    with pytest.raises(ValueError):
        deadline_after(datetime(2026, 9, 30, 10), 1)  # naive


def test_working_days_left():
    now = datetime(2026, 9, 30, 9, tzinfo=SH)
    deadline = deadline_after(now, 3)  # 10 Oct
    assert workdays.working_days_left(now, deadline) == 3
    assert workdays.working_days_left(deadline - timedelta(hours=1), deadline) == 0


def test_warning_from_first_of_december_when_next_year_missing(admin_user):
    assert missing_next_year(date(2026, 11, 30)) is None
    assert missing_next_year(date(2026, 12, 1)) == 2027
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=SH), tick=False):
        assert warn_missing_next_year() is True
    assert "2027" in mail.outbox[0].subject
    assert Notification.objects.filter(recipient=admin_user, kind="calendar_missing").exists()


def test_no_warning_once_the_year_is_entered(admin_user):
    CalendarYear.objects.create(year=2027, official_complete=True)
    assert warn_missing_next_year(date(2026, 12, 5)) is False
    assert not mail.outbox


def test_admin_index_shows_the_calendar_warning_in_december(login, admin_user):
    client = login(admin_user)
    with time_machine.travel(datetime(2026, 12, 2, 9, tzinfo=SH), tick=False):
        assert b'data-testid="calendar-warning"' in client.get("/admin/").content
    with time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=SH), tick=False):
        assert b'data-testid="calendar-warning"' not in client.get("/admin/").content
