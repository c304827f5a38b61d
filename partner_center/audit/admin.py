from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Events are a record: read-only in admin."""

    list_display = (
        "created_at",
        "verb",
        "subject_type",
        "subject_id",
        "from_state",
        "to_state",
        "who",
        "partner",
    )
    list_filter = ("verb", "subject_type", "to_state")
    search_fields = ("reason", "actor__email", "actor_label", "partner__name")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "partner", "subject_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
