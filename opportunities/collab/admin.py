"""Deal comments, next steps and files in Django admin: read-only (writes go through the
services on the deal page and the API, which check who may write)."""

from django.contrib import admin

from partner_center.service_admin import ReadOnlyAdmin

from .models import DealAttachment, DealComment, NextStep


@admin.register(DealComment)
class DealCommentAdmin(ReadOnlyAdmin):
    list_display = ("id", "opportunity", "author", "by_vendor", "created_at")
    list_filter = ("by_vendor",)
    search_fields = ("body", "opportunity__customer_name")
    list_select_related = ("opportunity", "author")
    raw_id_fields = ("opportunity", "author")


@admin.register(NextStep)
class NextStepAdmin(ReadOnlyAdmin):
    list_display = ("id", "opportunity", "text", "due_on", "assignee", "done_at")
    list_filter = (("done_at", admin.EmptyFieldListFilter), "due_on")
    search_fields = ("text", "opportunity__customer_name")
    list_select_related = ("opportunity", "assignee")


@admin.register(DealAttachment)
class DealAttachmentAdmin(ReadOnlyAdmin):
    list_display = ("id", "opportunity", "kind", "original_name", "size", "uploaded_at")
    list_filter = ("kind",)
    search_fields = ("original_name", "opportunity__customer_name")
    list_select_related = ("opportunity",)
