from django.contrib import admin

from partner_center.service_admin import ReadOnlyAdmin

from .models import Event


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
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
