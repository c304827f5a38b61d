"""Django admin for certification. States change only through the services (admin actions);
the state fields themselves are read-only here."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from partner_center.service_admin import (
    KeptRecordAdmin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceAdmin,
    run_per_object,
)

from . import services
from .models import (
    Attachment,
    AttachmentSlot,
    BankCardCertification,
    CapabilityLabel,
    CertificationPerson,
    CriterionReview,
    Defense,
    EnterpriseCertification,
    LabelApplication,
    LabelCriterion,
    LabelEvidence,
    PartnerManager,
)


class RejectForm(forms.Form):
    reasons = forms.MultipleChoiceField(
        label=_("Reasons for a rejection"), widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(
        label=_("Comment to the partner"), required=False, widget=forms.Textarea
    )

    def __init__(self, *args, reason_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].choices = reason_choices


def _reject_action(modeladmin, request, queryset, *, reason_choices, reject):
    """Ask for the reasons on an intermediate page, then reject through the service."""
    if "apply" in request.POST:
        form = RejectForm(request.POST, reason_choices=reason_choices)
        if form.is_valid():
            run_per_object(
                modeladmin,
                request,
                queryset,
                lambda obj: reject(
                    actor=request.user,
                    certification=obj,
                    reasons=form.cleaned_data["reasons"],
                    comment=form.cleaned_data["comment"],
                ),
                _("%(n)s rejected."),
            )
            return None
    else:
        form = RejectForm(reason_choices=reason_choices)
    return TemplateResponse(
        request,
        "admin/certification/reject.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Reject with reasons"),
            "form": form,
            "queryset": queryset,
            "opts": modeladmin.model._meta,
            "action": request.POST.get("action"),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        },
    )


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "partner", "purpose", "path", "size", "uploaded_at")
    list_filter = ("purpose", "content_type")
    search_fields = ("original_name", "path", "sha256", "partner__name")
    list_select_related = ("partner",)
    date_hierarchy = "uploaded_at"
    readonly_fields = ("download",)

    @admin.display(description=_("download"))
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("certification:file-download", args=[obj.pk]),
            obj.original_name,
        )


class PersonInline(ReadOnlyInline):
    model = CertificationPerson
    fields = ("position", "role", "name")


class SlotInline(ReadOnlyInline):
    model = AttachmentSlot
    fields = ("position", "kind", "person", "title", "attachment")


class DecidedByServicesAdmin(KeptRecordAdmin, admin.ModelAdmin):
    """A certification BD decides through the services: approve, or reject with reasons on
    an intermediate page. Never added or deleted here (kept as a record)."""

    actions = ["approve", "reject"]
    approve_service = None  # services.<kind>_approve(actor=, certification=)
    reject_service = None  # services.<kind>_reject(actor=, certification=, reasons=, comment=)

    @admin.action(description=_("Approve the selected certifications"))
    def approve(self, request, queryset):
        approve = type(self).approve_service
        run_per_object(
            self,
            request,
            queryset,
            lambda obj: approve(actor=request.user, certification=obj),
            _("%(n)s approved."),
        )

    @admin.action(description=_("Reject the selected certifications…"))
    def reject(self, request, queryset):
        return _reject_action(
            self,
            request,
            queryset,
            reason_choices=self.model.RejectReason.choices,
            reject=type(self).reject_service,
        )


@admin.register(EnterpriseCertification)
class EnterpriseCertificationAdmin(DecidedByServicesAdmin):
    list_display = ("partner", "state", "created_at", "submitted_at", "decided_by", "decided_at")
    list_filter = ("state",)
    search_fields = ("partner__name", "partner__credit_code", "decision_comment")
    list_select_related = ("partner", "decided_by")
    date_hierarchy = "created_at"
    readonly_fields = (
        "partner",
        "state",
        "created_by",
        "created_at",
        "submitted_at",
        "decided_by",
        "decided_at",
        "reject_reasons",
        "decision_comment",
    )
    inlines = [PersonInline, SlotInline]
    approve_service = services.enterprise_approve
    reject_service = services.enterprise_reject


@admin.register(BankCardCertification)
class BankCardCertificationAdmin(DecidedByServicesAdmin):
    list_display = (
        "holder_name",
        "partner",
        "bank_name",
        "card_number_masked",
        "state",
        "submitted_at",
    )
    list_filter = ("state",)
    search_fields = ("holder_name", "bank_name", "partner__name")
    list_select_related = ("partner",)
    date_hierarchy = "submitted_at"
    readonly_fields = (
        "partner",
        "applicant",
        "holder_name",
        "bank_name",
        "card_number_masked",
        "face_photo",
        "state",
        "submitted_at",
        "decided_by",
        "decided_at",
        "reject_reasons",
        "decision_comment",
    )
    approve_service = services.bank_card_approve
    reject_service = services.bank_card_reject


@admin.register(PartnerManager)
class PartnerManagerAdmin(ServiceAdmin):
    list_display = ("partner", "user", "assigned_at")
    search_fields = ("partner__name", "user__email", "user__full_name")
    list_select_related = ("partner", "user")
    raw_id_fields = ("partner",)
    fields = ("partner", "user")

    def save_model(self, request, obj, form, change):
        saved = services.pdm_assign(actor=request.user, partner=obj.partner, user=obj.user)
        obj.pk = saved.pk  # a refusal is a form error on this page (ServiceAdmin)


class CriterionInline(admin.TabularInline):
    model = LabelCriterion
    extra = 1
    fields = ("position", "title_zh", "title_en", "evidence_hint_zh", "evidence_hint_en")


@admin.register(CapabilityLabel)
class CapabilityLabelAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "is_active", "position")
    list_filter = ("is_active",)
    search_fields = ("code", "name_zh", "name_en")
    inlines = [CriterionInline]


@admin.register(LabelCriterion)
class LabelCriterionAdmin(admin.ModelAdmin):
    list_display = ("label", "position", "title_zh", "title_en")
    list_filter = ("label",)
    search_fields = ("title_zh", "title_en", "label__code")
    list_select_related = ("label",)


class EvidenceInline(ReadOnlyInline):
    model = LabelEvidence
    fields = ("criterion", "attachment", "note")


class ReviewInline(ReadOnlyInline):
    model = CriterionReview
    fields = ("criterion", "verdict", "comment", "reviewer", "decided_at", "revised_in_defense")


@admin.register(LabelApplication)
class LabelApplicationAdmin(KeptRecordAdmin, admin.ModelAdmin):
    # Not deleted: decided through the services, kept as a record.
    list_display = ("partner", "label", "state", "submitted_at", "defense_deadline", "decided_at")
    list_filter = ("state", "label")
    search_fields = ("partner__name", "label__code", "label__name_zh", "label__name_en")
    list_select_related = ("partner", "label")
    date_hierarchy = "created_at"
    readonly_fields = (
        "partner",
        "label",
        "state",
        "statement",
        "created_by",
        "created_at",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_summary",
        "defense_deadline",
        "decided_at",
    )
    inlines = [EvidenceInline, ReviewInline]
    actions = ["close_expired_defense_windows"]

    @admin.action(description=_("Refuse applications whose defense window has closed"))
    def close_expired_defense_windows(self, request, queryset):
        n = services.close_expired_defense_windows()
        self.message_user(request, _("%(n)s applications refused.") % {"n": n}, messages.SUCCESS)


@admin.register(Defense)
class DefenseAdmin(ReadOnlyAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("application", "channel", "organizer", "scheduled_at", "outcome")
    list_filter = ("channel", "outcome")
    search_fields = ("application__partner__name", "application__label__code", "statement")
    list_select_related = ("application__partner", "application__label", "organizer")


@admin.register(CriterionReview)
class CriterionReviewAdmin(ReadOnlyAdmin):
    list_display = ("application", "criterion", "verdict", "reviewer", "decided_at")
    list_filter = ("verdict", "revised_in_defense")
    search_fields = ("application__partner__name", "comment")
    list_select_related = ("application__partner", "application__label", "criterion", "reviewer")


@admin.register(AttachmentSlot)
class AttachmentSlotAdmin(ReadOnlyAdmin):
    list_display = ("certification", "position", "kind", "person", "attachment")
    list_filter = ("kind",)
    search_fields = ("certification__partner__name", "title", "person__name")
    list_select_related = ("certification__partner", "person", "attachment")


@admin.register(CertificationPerson)
class CertificationPersonAdmin(ReadOnlyAdmin):
    list_display = ("name", "role", "certification", "position")
    list_filter = ("role",)
    search_fields = ("name", "certification__partner__name")
    list_select_related = ("certification__partner",)


@admin.register(LabelEvidence)
class LabelEvidenceAdmin(ReadOnlyAdmin):
    list_display = ("attachment", "application", "criterion")
    search_fields = ("attachment__original_name", "application__partner__name")
    list_select_related = ("attachment", "application__partner", "application__label", "criterion")
