from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import TrustedDevice, UserSession


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_seen_at", "ip_address", "ended_at")
    list_filter = ("ended_at",)
    search_fields = ("user__email", "ip_address")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "key_digest",
        "created_at",
        "last_seen_at",
        "ip_address",
        "user_agent",
        "ended_at",
    )
    actions = ["sign_out_users"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Sign the users of the selected sessions out everywhere"))
    def sign_out_users(self, request, queryset):
        from .sessions import sign_out_users_everywhere

        count = sign_out_users_everywhere(user_ids=set(queryset.values_list("user_id", flat=True)))
        self.message_user(
            request, _("%(count)s users signed out.") % {"count": count}, messages.SUCCESS
        )


@admin.register(TrustedDevice)
class TrustedDeviceAdmin(admin.ModelAdmin):
    list_display = ("user", "user_agent", "created_at", "expires_at")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    readonly_fields = ("user", "token_digest", "user_agent", "created_at", "expires_at")

    def has_add_permission(self, request):
        return False
