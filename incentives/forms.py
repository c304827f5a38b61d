"""Forms of the incentive application steps; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ApplyForm(forms.Form):
    note = forms.CharField(
        label=_("Note for BD"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PublishForm(forms.Form):
    basis = forms.DecimalField(
        label=_("Performance basis"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Leave empty to use the computed basis."),
    )
    note = forms.CharField(
        label=_("Reconciliation note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the basis differs from the computed one."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PaymentRequestForm(forms.Form):
    invoice_no = forms.CharField(
        label=_("Invoice number"),
        max_length=64,
        help_text=_("The invoice you issued for the total including tax."),
    )


class MarkPaidForm(forms.Form):
    reference = forms.CharField(label=_("Payment reference"), max_length=64, required=False)
