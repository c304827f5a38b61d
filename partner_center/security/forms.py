from django import forms
from django.utils.translation import gettext_lazy as _


class ConfirmAuthenticatorForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from the app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )
    trust = forms.BooleanField(
        label=_("Trust this browser for %(days)s days") % {"days": 30},
        required=False,
    )

    def __init__(self, *args, trust_days: int = 30, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trust"].label = _("Trust this browser for %(days)s days") % {
            "days": trust_days
        }


class PartnerMfaForm(forms.Form):
    required = forms.BooleanField(
        label=_("Every user of our company must sign in with a second factor"), required=False
    )
