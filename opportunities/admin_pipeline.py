"""Admin of the pipeline settings (issue [5]): stage probabilities (changed through the
service; every change is in the object's admin history) and HO profiles (read-only here:
the partner admin keeps its own on its HO profile page)."""

from __future__ import annotations

from django.contrib import admin

from .pipeline_models import HOProfile, StageProbability
from .services.pipeline import set_stage_probability


@admin.register(StageProbability)
class StageProbabilityAdmin(admin.ModelAdmin):
    list_display = ("stage", "probability", "updated_at", "updated_by")
    list_editable = ("probability",)
    fields = ("stage", "probability", "updated_at", "updated_by")
    readonly_fields = ("updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        saved = set_stage_probability(
            actor=request.user, stage=obj.stage, probability=obj.probability
        )
        obj.pk, obj.updated_at, obj.updated_by = saved.pk, saved.updated_at, saved.updated_by

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HOProfile)
class HOProfileAdmin(admin.ModelAdmin):
    list_display = ("partner", "updated_at")
    search_fields = ("partner__name",)
    readonly_fields = ("partner", "industries", "regions", "products", "updated_at", "updated_by")

    def has_add_permission(self, request):
        return False
