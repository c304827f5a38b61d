from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from partner_center.service_admin import KeptRecordAdmin, per_object_action

from . import services
from .models import PCEApplication


@admin.register(PCEApplication)
class PCEApplicationAdmin(KeptRecordAdmin, admin.ModelAdmin):
    # Not added here: partners apply in the portal. Not deleted: decided through the services,
    # kept as a record.
    list_display = ("partner", "state", "applied_at", "decided_by", "decided_at")
    list_filter = ("state",)
    search_fields = ("partner__name", "partner__credit_code", "decision_reason")
    raw_id_fields = ("partner", "applied_by", "decided_by")
    list_select_related = ("partner", "decided_by")
    readonly_fields = ("state", "decided_by", "decided_at", "rules_accepted_at")
    actions = ["approve"]

    def get_readonly_fields(self, request, obj=None):
        # State changes go through the services (admin action, BD pages), never a raw save.
        if obj is not None:
            return (*self.readonly_fields, "partner", "applied_by", "applied_at", "decision_reason")
        return self.readonly_fields

    approve = per_object_action(
        _("Approve the selected applications"),
        lambda user, application: services.pce_approve(actor=user, application=application),
        _("%(n)s applications approved."),
        level=messages.WARNING,
    )
