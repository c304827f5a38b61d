from django.contrib import admin

from .models import PCEApplication


@admin.register(PCEApplication)
class PCEApplicationAdmin(admin.ModelAdmin):
    list_display = ("partner", "state", "applied_at", "decided_by", "decided_at")
    list_filter = ("state",)
    search_fields = ("partner__name", "partner__credit_code", "decision_reason")
    raw_id_fields = ("partner", "applied_by", "decided_by")
    list_select_related = ("partner", "decided_by")
