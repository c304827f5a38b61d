from django import forms
from django.utils.translation import gettext_lazy as _

from partner_center.forms import StyledFormMixin


class InviteForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail of the person's account"),
        help_text=_(
            "The person needs an account of their own, verified with their real name. "
            "The link is valid for 7 days and works once."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class NewEmailForm(StyledFormMixin, forms.Form):
    new_value = forms.EmailField(
        label=_("New contact e-mail"),
        help_text=_("We send a code to this address; the change takes effect when you enter it."),
        widget=forms.EmailInput(),
    )


class NewPhoneForm(StyledFormMixin, forms.Form):
    new_value = forms.CharField(
        label=_("New contact phone"),
        max_length=32,
        help_text=_("We send a code by SMS; the change takes effect when you enter it."),
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Confirmation code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
            }
        ),
    )


class LegalRepresentativeForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("New legal representative"),
        max_length=100,
        widget=forms.TextInput(),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("For example the date of the change in the business registration."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
