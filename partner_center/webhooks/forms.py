from django import forms
from django.utils.translation import gettext_lazy as _

from .event_types import EventType


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An https address of your system on the public internet."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label=_("Event types"),
        choices=EventType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every event type, also types added later."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
