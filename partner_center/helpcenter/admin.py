from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .facts import FACTS
from .models import FAQEntry

PLACEHOLDERS = format_lazy(
    _(
        "Write a number that a rule sets as a placeholder; it is filled in when the entry is "
        "shown: {names}."
    ),
    names=", ".join("{" + name + "}" for name in FACTS),
)


@admin.register(FAQEntry)
class FAQEntryAdmin(SimpleHistoryAdmin):
    list_display = ("question_zh", "question_en", "category", "order", "is_published", "updated_at")
    list_filter = ("category", "is_published")
    list_editable = ("order", "is_published")
    search_fields = ("question_zh", "question_en", "answer_zh", "answer_en", "keywords", "slug")
    prepopulated_fields = {"slug": ("question_en",)}
    fieldsets = (
        (
            None,
            {
                "fields": ("slug", "category", "order", "is_published", "keywords"),
                "description": PLACEHOLDERS,
            },
        ),
        ("中文", {"fields": ("question_zh", "answer_zh", "link_label_zh")}),
        ("English", {"fields": ("question_en", "answer_en", "link_label_en")}),
        (None, {"fields": ("link_url_name", "link_path")}),
    )
