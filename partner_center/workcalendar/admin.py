from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CalendarDay, CalendarYear


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "is_working_day", "note")
    list_filter = ("is_working_day",)
    search_fields = ("note",)
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    list_display = ("year", "official_complete", "note")
    list_filter = ("official_complete",)
