from django.contrib import admin

from partner_center.service_admin import ShowOnlyAdmin

from .models import StoredResponse


@admin.register(StoredResponse)
class StoredResponseAdmin(ShowOnlyAdmin):
    list_display = ["created_at", "user", "method", "path", "status_code", "expires_at"]
    search_fields = ["key", "path", "user__email"]
    list_select_related = ("user",)
    readonly_fields = [f.name for f in StoredResponse._meta.fields]
