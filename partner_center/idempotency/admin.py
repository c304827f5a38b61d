from django.contrib import admin

from .models import StoredResponse


@admin.register(StoredResponse)
class StoredResponseAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "method", "path", "status_code", "expires_at"]
    search_fields = ["key", "path", "user__email"]
    list_select_related = ("user",)
    readonly_fields = [f.name for f in StoredResponse._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
