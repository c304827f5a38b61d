from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .scopes import WRITE_SCOPES
from .services import EXPIRY_CHOICES


class ApiKeyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_in_days"].choices = [
            (d, _("%(days)s days") % {"days": d}) for d in EXPIRY_CHOICES
        ]

    label = forms.CharField(
        label=pgettext_lazy("api key", "Label"),
        max_length=100,
        help_text=_("Which system uses the key, e.g. “CRM sync”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Write scopes"),
        choices=[(s.value, s.label) for s in WRITE_SCOPES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Every key reads. Without a write scope the key can only read."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires in"),
        choices=[],  # labels in the reader's language: set per form
        coerce=int,
        initial=90,
    )
