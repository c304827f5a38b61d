from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from partner_center.errors import DomainError

from . import services
from .models import CalendarDay, CalendarYear


class ScheduleUploadForm(forms.Form):
    file = forms.FileField(
        label=_("schedule file"),
        help_text=_(
            "CSV with the columns date, working, note (working: 1 or 0), or JSON "
            '{"year": 2027, "complete": true, "days": [{"date": "2027-01-01", "working": false}]}.'
        ),
    )
    complete = forms.BooleanField(
        label=_("the file holds the whole official schedule of the year"), required=False
    )


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    """Saves and deletes go through the calendar services: running deadlines that count
    over a changed day are recomputed at once (R4.3)."""

    list_display = ("date", "is_working_day", "note")
    list_filter = ("is_working_day",)
    search_fields = ("note",)
    date_hierarchy = "date"
    change_list_template = "admin/workcalendar/calendarday/change_list.html"

    def save_model(self, request, obj, form, change):
        if change and "date" in form.changed_data:
            services.calendar_days_delete(actor=request.user, days=[form.initial["date"]])
        services.calendar_day_set(
            actor=request.user, day=obj.date, working=obj.is_working_day, note=obj.note
        )
        obj.pk = CalendarDay.objects.get(date=obj.date).pk

    def delete_model(self, request, obj):
        services.calendar_days_delete(actor=request.user, days=[obj.date])

    def delete_queryset(self, request, queryset):
        services.calendar_days_delete(
            actor=request.user, days=list(queryset.values_list("date", flat=True))
        )

    def get_urls(self):
        return [
            path(
                "load/",
                self.admin_site.admin_view(self.load_view),
                name="workcalendar_calendarday_load",
            ),
            *super().get_urls(),
        ]

    def load_view(self, request):
        """Load a year's official schedule from a file in one go."""
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = ScheduleUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                content = upload.read().decode("utf-8-sig")
                days, file_complete = services.parse_schedule(content, upload.name)
                changed = services.calendar_load(
                    actor=request.user,
                    days=days,
                    complete=form.cleaned_data["complete"] or file_complete,
                )
            except UnicodeDecodeError:
                form.add_error("file", _("The file must be UTF-8 text."))
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                self.message_user(
                    request,
                    _("%(days)s days loaded; %(changed)s changed the calendar.")
                    % {"days": len(days), "changed": len(changed)},
                    messages.SUCCESS,
                )
                return redirect("admin:workcalendar_calendarday_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Load a year's official schedule"),
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/workcalendar/calendarday/load.html", context)


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    list_display = ("year", "official_complete", "note")
    list_filter = ("official_complete",)
