"""Page forms. They parse input; the rules live in the services (which the forms' pages call),
and the field locks come from `transitions.partner_editable_fields`."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partner_center import uploads
from partner_center.accounts.models import Partner
from partner_center.forms import style_fields
from partner_center.programs.models import PCEApplication

from .catalog import ConsentMethod, Product, RejectionReason
from .models import Opportunity, VendorLead
from .transitions import PO_FIELDS, PROGRESS_FIELDS, RETURNABLE_FIELDS, field_label


def _bootstrap(form: forms.Form) -> None:
    style_fields(form.fields)


class ProductsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Product.choices)
        kwargs.setdefault("label", _("Products of interest"))
        super().__init__(**kwargs)


class POForm(forms.ModelForm):
    """The PO's own fields. Fields the partner may not change now are shown disabled (their
    posted values are ignored) and the service refuses them again."""

    products = ProductsField()

    class Meta:
        model = Opportunity
        fields = PO_FIELDS
        widgets = {
            "expected_close_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, editable: frozenset[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("contact_name", "contact_phone", "amount", "expected_close_date"):
            self.fields[name].help_text = _("Needed to submit.")
        if editable is not None:
            for name, field in self.fields.items():
                if name not in editable:
                    field.disabled = True
                    field.required = False
        _bootstrap(self)

    def changes(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in self.fields and not self.fields[name].disabled
        }


class ConsentForm(forms.Form):
    consent_confirmed = forms.BooleanField(
        label=_(
            "I confirm that the customer explicitly agreed to share its personal information "
            "in this opportunity with the vendor."
        ),
        required=True,
    )
    consent_method = forms.ChoiceField(
        label=_("How did the customer agree?"), choices=[("", "—"), *ConsentMethod.choices]
    )
    consent_note = forms.CharField(
        label=_("Details of the consent"),
        help_text=_("Who agreed, when, and where the evidence is kept."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    # Checked by the service (partner_center.uploads): the same rule for the API and admin.
    consent_file = forms.FileField(
        label=_("Evidence file (optional)"),
        help_text=_("PDF or image, at most 10 MB."),
        required=False,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.accept_attribute()}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class ProgressForm(forms.ModelForm):
    note = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    class Meta:
        model = Opportunity
        fields = PROGRESS_FIELDS
        widgets = {
            "expected_close_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "delivery_completed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, editable: frozenset[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in PROGRESS_FIELDS:
            if name not in editable:
                self.fields[name].disabled = True
            self.fields[name].required = False
        _bootstrap(self)

    def changes(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in PROGRESS_FIELDS and not self.fields[name].disabled
        }


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class VerifyForm(forms.Form):
    account_manager = forms.CharField(
        label=_("Account manager who confirmed with the customer"), max_length=100
    )
    account_manager_confirmed_on = forms.DateField(
        label=_("Confirmed with the customer on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account_manager_confirmed_on"].initial = timezone.localdate()
        _bootstrap(self)


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=RejectionReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Comment for the partner"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class ReturnForm(forms.Form):
    fields = forms.MultipleChoiceField(
        label=_("Fields the partner should change"),
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label=_("What to change, and why"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].choices = [(f, field_label(f)) for f in RETURNABLE_FIELDS]
        _bootstrap(self)


class BulkReviewForm(forms.Form):
    """BD's one action on the POs ticked in the review queue (issue [5])."""

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("pass_review", _("Pass review")),
            ("return_for_changes", _("Return for changes")),
            ("reject", _("Reject")),
        ],
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", "–"), *RejectionReason.choices],
        required=False,
        help_text=_("For a rejection."),
    )
    fields = forms.MultipleChoiceField(
        label=_("Fields the partner should change"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For a return for changes."),
    )
    comment = forms.CharField(
        label=_("Comment for the partner"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].choices = [(f, field_label(f)) for f in RETURNABLE_FIELDS]
        _bootstrap(self)


class LeadForm(forms.ModelForm):
    products = ProductsField()

    class Meta:
        model = VendorLead
        fields = ("crm_id", "crm_created_at", *PO_FIELDS)
        widgets = {
            "crm_created_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "expected_close_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crm_created_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        _bootstrap(self)

    def data_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PO_FIELDS}


class ShareForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Share with"),
        queryset=Partner.objects.none(),
        help_text=_("Members of the PCE program."),
    )
    note = forms.CharField(
        label=_("Note for the partner"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(
            is_active=True, pce_applications__state=PCEApplication.State.APPROVED
        ).order_by("name")
        _bootstrap(self)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=(("apply", _("Apply the rule")), ("dismiss", _("Not duplicates")))
    )
    note = forms.CharField(label=_("Comment"), required=False, max_length=1000)


class ImportForm(ConsentForm):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    submit_rows = forms.BooleanField(
        label=_("Submit the imported POs for review at once"), required=False
    )

    field_order = ["file", "submit_rows", "consent_confirmed", "consent_method", "consent_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["consent_file"]
        self.fields["consent_confirmed"].required = False
        self.fields["consent_method"].required = False
        self.fields["consent_confirmed"].label = _(
            "I confirm that every customer in the file explicitly agreed to share its personal "
            "information with the vendor."
        )

    def clean(self):
        data = super().clean()
        if data.get("submit_rows"):
            if not data.get("consent_confirmed"):
                self.add_error("consent_confirmed", _("To submit, confirm the customers' consent."))
            if not data.get("consent_method"):
                self.add_error("consent_method", _("Say how the customers gave their consent."))
        return data
