from datetime import date

from django.core.mail import mail_admins
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.workdays import SHANGHAI, year_has_official_data


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
    from partner_center.notifications.services import notify

    subject = _("Working-day calendar: %(year)s is not entered yet") % {"year": year}
    body = _(
        "SLA deadlines that reach into %(year)s are computed from provisional days "
        "(Monday to Friday less computed statutory holidays). Enter the published holiday "
        "and make-up days in Django admin, then tick the year as complete."
    ) % {"year": year}
    mail_admins(subject, body)
    notify(
        recipients=User.objects.filter(is_staff=True, is_active=True),
        kind="calendar_missing",
        title=subject,
        body=body,
        link="/admin/workcalendar/calendarday/",
        email=False,
    )
    return True
