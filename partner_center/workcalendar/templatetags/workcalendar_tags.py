from django import template

from partner_center.workcalendar.services import missing_next_year

register = template.Library()


@register.simple_tag
def calendar_missing_year():
    """Next year's number from 1 December while its official schedule is not entered."""
    return missing_next_year()
