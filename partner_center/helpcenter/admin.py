from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FAQEntry


@admin.register(FAQEntry)
class FAQEntryAdmin(SimpleHistoryAdmin):
    list_display = ("question_zh", "question_en", "category", "order", "is_published", "updated_at")
    list_filter = ("category", "is_published")
    list_editable = ("order", "is_published")
    search_fields = ("question_zh", "question_en", "answer_zh", "answer_en", "keywords", "slug")
    prepopulated_fields = {"slug": ("question_en",)}
    fieldsets = (
        (None, {"fields": ("slug", "category", "order", "is_published", "keywords")}),
        ("中文", {"fields": ("question_zh", "answer_zh", "link_label_zh")}),
        ("English", {"fields": ("question_en", "answer_en", "link_label_en")}),
        (None, {"fields": ("link_url_name", "link_path")}),
    )
