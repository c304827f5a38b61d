from django import forms
from django.utils.translation import gettext_lazy as _

from partner_center.accounts.permissions import PARTNER_PATHS, PartnerType


class PCEApplyForm(forms.Form):
    industries = forms.CharField(
        label=_("Industries you serve"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    motivation = forms.CharField(
        label=_("What you want to achieve with the program"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    accept_rules = forms.BooleanField(
        label=_("I have read the program rules and accept them"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        help_text=_("Required for a rejection; the partner sees it."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class PathForm(forms.Form):
    path = forms.ChoiceField(
        choices=[(p.value, PartnerType(p).label) for p in PARTNER_PATHS],
        widget=forms.HiddenInput,
    )


class DeregisterForm(forms.Form):
    confirm_name = forms.CharField(
        label=_("Type the partner's name to confirm"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
