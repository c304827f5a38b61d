from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partner_center.service_admin import ReadOnlyAdmin, ShowOnlyAdmin

from . import services
from .models import Heartbeat, OutboxEntry


@admin.register(OutboxEntry)
class OutboxEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "task_name",
        "state",
        "attempts",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "done_at",
    )
    list_filter = ("state", "task_name")
    search_fields = ("task_name", "dedup_key", "last_error")
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    readonly_fields = [f.name for f in OutboxEntry._meta.fields]

    @admin.action(description=_("Retry now"), permissions=["view"])
    def retry_now(self, request, queryset):
        count = services.retry_now(
            actor=request.user, entry_ids=queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext(
                "%(n)d entry will be sent at the next relay round.",
                "%(n)d entries will be sent at the next relay round.",
                count,
            )
            % {"n": count},
            messages.SUCCESS,
        )


@admin.register(Heartbeat)
class HeartbeatAdmin(ShowOnlyAdmin):
    list_display = ("name", "at")
    search_fields = ("name",)
