from django import forms
from django.utils.translation import gettext_lazy as _

from partner_center.accounts.permissions import PARTNER_PATHS, PartnerType
from partner_center.forms import StyledFormMixin


class PCEApplyForm(StyledFormMixin, forms.Form):
    industries = forms.CharField(
        label=_("Industries you serve"),
        required=False,
        max_length=200,
        widget=forms.TextInput(),
    )
    motivation = forms.CharField(
        label=_("What you want to achieve with the program"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    accept_rules = forms.BooleanField(
        label=_("I have read the program rules and accept them"),
        required=False,
        widget=forms.CheckboxInput(),
    )


class DecisionForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        help_text=_("Required for a rejection; the partner sees it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PathForm(StyledFormMixin, forms.Form):
    path = forms.ChoiceField(
        choices=[(p.value, PartnerType(p).label) for p in PARTNER_PATHS],
        widget=forms.HiddenInput,
    )


class DeregisterForm(StyledFormMixin, forms.Form):
    confirm_name = forms.CharField(
        label=_("Type the partner's name to confirm"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
