from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from partner_center.service_admin import ReadOnlyAdmin

from . import services
from .models import Digest, Notification, NotificationPreference, Subscription, TopicSettings


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    # Read-only: notifications are written by notify(); users read them in the portal.
    list_display = (
        "created_at",
        "recipient",
        "kind",
        "title",
        "read_at",
        "email_state",
        "email_attempts",
        "emailed_at",
    )
    list_filter = ("kind", "email_state", "email_wanted", ("read_at", admin.EmptyFieldListFilter))
    readonly_fields = ("email_state", "email_attempts", "email_error", "email_next_attempt_at")
    search_fields = ("title", "recipient__email", "kind")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    # Read-only: users set their preferences in the portal.
    list_display = ("user", "email_enabled", "updated_at")
    list_filter = ("email_enabled",)
    search_fields = ("user__email",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "partner", "topic", "created_at")
    list_filter = ("topic",)
    search_fields = ("user__email", "partner__name")
    list_select_related = ("user", "partner")
    raw_id_fields = ("user", "partner")
    actions = ["remove"]

    def has_add_permission(self, request):
        return False  # users subscribe in the portal, where the distributor rule is checked

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Remove the selected subscriptions"))
    def remove(self, request, queryset):
        for sub in queryset.select_related("user"):
            services.unsubscribe(actor=sub.user, topic=sub.topic)


@admin.register(TopicSettings)
class TopicSettingsAdmin(ReadOnlyAdmin):
    """The distributor's partner admin sets the threshold on the subscription page."""

    list_display = ("partner", "reseller_low_balance", "updated_at")
    search_fields = ("partner__name",)
    list_select_related = ("partner",)


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    """The daily digests sent (one per partner, topic and day); written by the digest task."""

    list_display = ("day", "partner", "topic", "items", "recipients", "sent_at")
    list_filter = ("topic", "day")
    search_fields = ("partner__name",)
    list_select_related = ("partner",)
    date_hierarchy = "sent_at"
