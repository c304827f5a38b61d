"""Django admin: every model searchable and filterable. State changes run through the services
as admin actions (with their inputs on the action bar); edits of an opportunity follow the
same field-lock matrix as the pages and the API."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partner_center import uploads
from partner_center.accounts.models import Partner, User
from partner_center.service_admin import (
    KeptRecordAdmin,
    ServiceAdmin,
    ShowOnlyAdmin,
    by_pk,
    run_per_object,
)

from . import services
from .catalog import LeadCloseReason, RejectionReason
from .models import (
    CustomerKeyLock,
    DuplicatePair,
    ImportRow,
    Opportunity,
    POImport,
    SavedView,
    VendorLead,
)
from .services import owners
from .transitions import PO, PROGRESS_FIELDS, partner_editable_fields

S = Opportunity.State


class OpportunityActionForm(admin.helpers.ActionForm):
    reason = forms.ChoiceField(
        label=_("reason"), choices=[("", "—"), *RejectionReason.choices], required=False
    )
    account_manager = forms.CharField(label=_("account manager"), required=False)
    confirmed_on = forms.DateField(
        label=_("confirmed on (YYYY-MM-DD)"), required=False, widget=forms.DateInput()
    )
    fields_to_unlock = forms.CharField(
        label=_("fields to unlock (comma-separated)"), required=False
    )
    comment = forms.CharField(label=_("comment"), required=False)
    owner_email = forms.CharField(label=_("new owner's e-mail"), required=False)


def _run(modeladmin, request, queryset, call, done_message):
    # A refused rule, or NotAllowed for this actor, is a message naming the row's number.
    run_per_object(modeladmin, request, queryset, call, done_message, name=by_pk)


def _service_action(description, done_message, call, *, form_class=None):
    """An admin action that calls a service for each selected row: `call(actor, obj, data)`,
    `data` the action bar's cleaned form (`form_class`), empty without one."""

    @admin.action(description=description)
    def action(modeladmin, request, queryset):
        data = {}
        if form_class is not None:
            form = form_class(request.POST)
            form.is_valid()
            data = form.cleaned_data
        _run(modeladmin, request, queryset, lambda obj: call(request.user, obj, data), done_message)

    return action


def _owner_action(description, done_message, form_class, service, target, field):
    """An owner action: `service(actor=, <target>=<the row>, <field>=<the user>)` for each
    row, the user named by the e-mail typed in the action bar."""

    @admin.action(description=description)
    def action(modeladmin, request, queryset):
        form = form_class(request.POST)
        form.is_valid()
        email = (form.cleaned_data.get("owner_email") or "").strip()
        user = User.objects.filter(email__iexact=email).first() if email else None
        if user is None:
            msg = _("Enter the e-mail of an existing user.")
            modeladmin.message_user(request, msg, messages.ERROR)
            return
        _run(
            modeladmin,
            request,
            queryset,
            lambda obj: service(actor=request.user, **{target: obj, field: user}),
            done_message,
        )

    return action


def _bd_owner_action(form_class, service, target):
    return _owner_action(
        _("Give to the BD owner whose e-mail is above"),
        _("BD owner changed"),
        form_class,
        service,
        target,
        "bd_owner",
    )


def _on_opportunity(service, **values):
    """A `_service_action` call: `service(actor=, opportunity=<the row>, **values)`."""
    return lambda actor, opp, data: service(actor=actor, opportunity=opp, **values)


@admin.register(Opportunity)
class OpportunityAdmin(KeptRecordAdmin, ServiceAdmin):
    # Not added here: POs are created by partners, HO shares from the pool. Not deleted: the
    # record and its timeline stay.
    form = uploads.admin_upload_form({"consent_file": uploads.check_upload})
    list_display = (
        "id",
        "kind",
        "partner",
        "customer_name",
        "project_name",
        "state",
        "amount",
        "deadline",
        "core_label",
        "owner",
        "bd_owner",
        "created_at",
    )
    list_filter = (
        "kind",
        "state",
        "protection",
        ("extension_requested_at", admin.EmptyFieldListFilter),
        "decision_rule",
        "core_label",
        "stage",
        "lost_reason",
    )
    search_fields = (
        "customer_name",
        "customer_credit_code",
        "project_name",
        "partner__name",
        "external_ref",
        "lead__crm_id",
    )
    list_select_related = ("partner", "owner", "bd_owner")
    date_hierarchy = "created_at"
    raw_id_fields = ("partner", "lead")
    action_form = OpportunityActionForm
    actions = [
        "action_start_verification",
        "action_verify",
        "action_reject",
        "action_return",
        "action_set_core_label",
        "action_clear_core_label",
        "action_approve_extension",
        "action_refuse_extension",
        "action_set_owner",
        "action_set_bd_owner",
    ]

    action_set_owner = _owner_action(
        _("Give to the owner whose e-mail is above"),
        _("Owner changed"),
        OpportunityActionForm,
        owners.opportunity_set_owner,
        "opportunity",
        "owner",
    )
    action_set_bd_owner = _bd_owner_action(
        OpportunityActionForm, owners.opportunity_set_bd_owner, "opportunity"
    )

    def get_readonly_fields(self, request, obj=None):
        """Everything but the fields the matrix lets a partner change in this state."""
        editable = partner_editable_fields(obj) if obj else frozenset()
        return [f.name for f in self.model._meta.fields if f.name not in editable]

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if not changes:
            return
        # A refusal (DomainError) becomes a form error on this page (ServiceAdmin).
        if PO.can(obj, "edit"):
            services.po_edit(actor=request.user, po=obj, changes=changes)
        else:
            services.opportunity_update_progress(
                actor=request.user,
                opportunity=obj,
                changes={k: v for k, v in changes.items() if k in PROGRESS_FIELDS},
                note=str(_("Changed in Django admin")),
            )

    action_start_verification = _service_action(
        _("Review passed: start verification"),
        _("Under verification"),
        lambda actor, po, data: services.po_start_verification(actor=actor, po=po),
    )
    action_verify = _service_action(
        _("Verification passed (account manager and date required)"),
        _("Verified"),
        lambda actor, po, data: services.po_verify(
            actor=actor,
            po=po,
            account_manager=data.get("account_manager") or "",
            confirmed_on=data.get("confirmed_on"),
            note=data.get("comment") or "",
        ),
        form_class=OpportunityActionForm,
    )
    action_reject = _service_action(
        _("Reject (reason required)"),
        _("Rejected"),
        lambda actor, po, data: services.po_reject(
            actor=actor, po=po, reason=data.get("reason") or "", note=data.get("comment") or ""
        ),
        form_class=OpportunityActionForm,
    )
    action_return = _service_action(
        _("Return for changes (fields and comment required)"),
        _("Returned for changes"),
        lambda actor, po, data: services.po_return_for_changes(
            actor=actor,
            po=po,
            fields=[
                f.strip() for f in (data.get("fields_to_unlock") or "").split(",") if f.strip()
            ],
            comment=data.get("comment") or "",
        ),
        form_class=OpportunityActionForm,
    )
    action_set_core_label = _service_action(
        _("Set the core label"),
        _("Core label set"),
        _on_opportunity(services.opportunity_set_core_label, core_label=True),
    )
    action_clear_core_label = _service_action(
        _("Remove the core label"),
        _("Core label removed"),
        _on_opportunity(services.opportunity_set_core_label, core_label=False),
    )
    action_approve_extension = _service_action(
        _("Approve the requested protection extension"),
        _("Extension approved"),
        _on_opportunity(services.protection_decide_extension, approve=True),
    )
    action_refuse_extension = _service_action(
        _("Refuse the requested protection extension (comment above)"),
        _("Extension refused"),
        lambda actor, o, data: services.protection_decide_extension(
            actor=actor, opportunity=o, approve=False, reason=data.get("comment") or ""
        ),
        form_class=OpportunityActionForm,
    )


class LeadAdminForm(forms.ModelForm):
    class Meta:
        model = VendorLead
        fields = ("crm_id", "crm_created_at", *services.LEAD_FIELDS)

    def clean_crm_created_at(self):
        value = self.cleaned_data.get("crm_created_at")
        if value and value > timezone.now():
            raise forms.ValidationError(_("The CRM creation time cannot be in the future."))
        return value


class LeadActionForm(admin.helpers.ActionForm):
    partner = forms.ModelChoiceField(
        label=_("share with"), queryset=Partner.objects.order_by("name"), required=False
    )
    close_reason = forms.ChoiceField(
        label=_("close reason"), choices=[("", "–"), *LeadCloseReason.choices], required=False
    )
    comment = forms.CharField(label=_("comment"), required=False)
    owner_email = forms.CharField(label=_("new owner's e-mail"), required=False)


class ShareInline(admin.TabularInline):
    model = Opportunity
    fk_name = "lead"
    fields = ("partner", "state", "shared_at", "deadline", "decision_rule", "decision_note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(VendorLead)
class VendorLeadAdmin(ServiceAdmin):
    list_display = (
        "crm_id",
        "customer_name",
        "project_name",
        "amount",
        "crm_created_at",
        "state",
        "bd_owner",
        "closed_at",
    )
    list_filter = (
        "state",
        "close_reason",
        ("closed_at", admin.EmptyFieldListFilter),
        "customer_industry",
        "customer_region",
    )
    search_fields = ("crm_id", "customer_name", "customer_credit_code", "project_name")
    list_select_related = ("created_by", "bd_owner")
    date_hierarchy = "crm_created_at"
    readonly_fields = (
        "bd_owner",
        "customer_key",
        "created_by",
        "created_at",
        "state",
        "closed_at",
        "closed_by",
        "close_reason",
        "close_note",
        "close_detail",
    )
    inlines = [ShareInline]
    form = LeadAdminForm
    action_form = LeadActionForm
    actions = ["action_share", "action_close", "action_reopen", "action_set_bd_owner"]

    action_set_bd_owner = _bd_owner_action(LeadActionForm, owners.lead_set_bd_owner, "lead")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # A lead's CRM identity does not change once it is in the pool.
        return (*self.readonly_fields, "crm_id", "crm_created_at")

    def save_model(self, request, obj, form, change):
        """Through the services, so the customer key and the duplicate pairs follow."""
        if change:
            changes = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in services.LEAD_FIELDS
            }
            services.lead_edit(actor=request.user, lead=obj, changes=changes)
            return
        lead = services.lead_create(
            actor=request.user,
            crm_id=form.cleaned_data["crm_id"],
            crm_created_at=form.cleaned_data["crm_created_at"],
            data={name: form.cleaned_data[name] for name in services.LEAD_FIELDS},
        )
        obj.pk = lead.pk

    @admin.action(description=_("Share with the partner chosen above"))
    def action_share(self, request, queryset):
        form = LeadActionForm(request.POST)
        form.is_valid()
        partner = form.cleaned_data.get("partner")
        if partner is None:
            self.message_user(request, _("Choose the partner to share with."), messages.ERROR)
            return
        _run(
            self,
            request,
            queryset,
            lambda lead: services.ho_share(actor=request.user, lead=lead, partner=partner),
            _("Shared"),
        )

    action_close = _service_action(
        _("Close the lead (reason and comment chosen above)"),
        _("Closed"),
        lambda actor, lead, data: services.lead_retire(
            actor=actor,
            lead=lead,
            reason=data.get("close_reason") or "",
            note=data.get("comment") or "",
        ),
        form_class=LeadActionForm,
    )
    action_reopen = _service_action(
        _("Reopen the lead (comment above)"),
        _("Reopened"),
        lambda actor, lead, data: services.lead_reopen(
            actor=actor, lead=lead, note=data.get("comment") or ""
        ),
        form_class=LeadActionForm,
    )


@admin.register(DuplicatePair)
class DuplicatePairAdmin(KeptRecordAdmin, admin.ModelAdmin):
    list_display = (
        "id",
        "po",
        "other_po",
        "lead",
        "matched_on",
        "status",
        "detected_at",
        "decided_by",
    )
    list_filter = ("status", "matched_on")
    search_fields = ("po__customer_name", "po__partner__name", "lead__crm_id")
    list_select_related = ("po", "other_po", "lead", "decided_by")
    readonly_fields = [f.name for f in DuplicatePair._meta.fields]
    actions = ["action_apply", "action_dismiss"]

    action_apply = _service_action(
        _("Apply the rule's verdict"),
        pgettext_lazy("duplicate rule", "Applied"),
        lambda actor, pair, data: services.duplicate_decide(
            actor=actor, pair=pair, decision="apply"
        ),
    )
    action_dismiss = _service_action(
        _("Not duplicates"),
        _("Dismissed"),
        lambda actor, pair, data: services.duplicate_decide(
            actor=actor, pair=pair, decision="dismiss"
        ),
    )


@admin.register(ImportRow)
class ImportRowAdmin(ShowOnlyAdmin):
    """Each row's outcome of an import (read-only: written by the import itself)."""

    list_display = ("po_import", "row_number", "outcome", "opportunity", "reason")
    list_filter = ("outcome",)
    search_fields = ("po_import__file_name", "reason")
    raw_id_fields = ("po_import", "opportunity")
    list_select_related = ("po_import", "opportunity")


@admin.register(POImport)
class POImportAdmin(admin.ModelAdmin):
    form = uploads.admin_upload_form({"file": uploads.check_spreadsheet})
    list_display = (
        "file_name",
        "partner",
        "state",
        "total_rows",
        "succeeded",
        "failed",
        "created_at",
    )
    list_filter = ("state", "submit_rows")
    search_fields = ("file_name", "partner__name")
    list_select_related = ("partner",)
    readonly_fields = [f.name for f in POImport._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(CustomerKeyLock)
class CustomerKeyLockAdmin(ShowOnlyAdmin):
    list_display = ("key",)
    search_fields = ("key",)
    list_select_related = ()


# ---- Working on a deal together (collab): comments, next steps, files ----------------------
from . import admin_pipeline  # noqa: E402, F401 - stage probabilities, HO profiles
from .collab import admin as collab_admin  # noqa: E402, F401


@admin.register(SavedView)
class SavedViewAdmin(ShowOnlyAdmin):
    """Read-only: users save and delete their views on the list pages."""

    list_display = ("user", "list_key", "name", "query", "created_at")
    list_filter = ("list_key",)
    search_fields = ("user__email", "name")
    list_select_related = ("user",)
    readonly_fields = ("user", "list_key", "name", "query", "created_at")
