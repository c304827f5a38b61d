from django.contrib import admin

from partner_center.service_admin import ShowOnlyAdmin

from .models import DeliveryAttempt, PartnerEvent, WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Read-only: partner admins register endpoints on their page or the API (the SSRF
    guard and the audit event are in the service)."""

    list_display = ("url", "partner", "is_active", "consecutive_failures", "disabled_at")
    list_filter = ("is_active",)
    search_fields = ("url", "partner__name")
    raw_id_fields = ("partner", "created_by")
    exclude = ("secret",)
    readonly_fields = (
        "partner",
        "url",
        "event_types",
        "description",
        "created_by",
        *WebhookEndpoint.KEPT_FIELDS,
        "is_active",
    )

    def has_add_permission(self, request):
        return False


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = DeliveryAttempt.LOG_FIELDS


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ShowOnlyAdmin):
    list_display = ("id", "endpoint", "event", "state", "attempts", "next_attempt_at")
    list_filter = ("state",)
    raw_id_fields = ("endpoint", "event", "redelivery_of", "requested_by")
    inlines = [AttemptInline]


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ShowOnlyAdmin):
    list_display = ("delivery", "number", "started_at", "status_code", "latency_ms", "succeeded")
    list_filter = ("succeeded",)
    raw_id_fields = ("delivery",)


@admin.register(PartnerEvent)
class PartnerEventAdmin(ShowOnlyAdmin):
    list_display = ("id", "type", "partner", "created_at")
    list_filter = ("type",)
    raw_id_fields = ("partner",)
