from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from partner_center.forms import StyledFormMixin

from .models import Topic


class PreferenceForm(StyledFormMixin, forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        required=False,  # left out: unchanged
        help_text=_(
            "The portal after you sign in, your e-mails and your notifications use this "
            "language. The language switch at the top changes it too."
        ),
    )
    email_enabled = forms.BooleanField(
        label=_("Also send my notifications by e-mail"),
        required=False,
        widget=forms.CheckboxInput(),
    )


class SubscriptionForm(StyledFormMixin, forms.Form):
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        required=False,
        widget=forms.CheckboxSelectMultiple(),
    )

    def __init__(self, *args, allowed_topics, **kwargs):
        super().__init__(*args, **kwargs)
        # Topics the partner can't subscribe to are not offered at all.
        self.fields["topics"].choices = [(t, Topic(t).label) for t in allowed_topics]


class ResellerThresholdForm(StyledFormMixin, forms.Form):
    reseller_low_balance = forms.DecimalField(
        label=_("Report reseller funds or voucher quota below (CNY)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Used by the daily reseller-information digest."),
    )
