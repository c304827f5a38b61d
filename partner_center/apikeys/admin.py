from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from partner_center.service_admin import KeptRecordAdmin

from . import services
from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(KeptRecordAdmin, admin.ModelAdmin):
    """Keys are listed, never their secrets; revoked through the service."""

    list_display = [
        "label",
        "display_prefix",
        "user",
        "partner",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
        "last_used_ip",
    ]
    list_filter = ["migrated", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["label", "prefix", "user__email", "partner__name"]
    list_select_related = ["user", "partner"]
    exclude = ["secret_digest"]
    readonly_fields = [
        "user",
        "partner",
        "label",
        "prefix",
        "scopes",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
        "last_used_at",
        "last_used_ip",
        "migrated",
    ]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for key in queryset:
            services.revoke_key(actor=request.user, key=key)
        messages.success(request, _("The selected keys are revoked."))
