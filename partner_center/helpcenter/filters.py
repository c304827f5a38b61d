from django import forms
from django.utils.translation import gettext_lazy as _

from partner_center.forms import StyledFormMixin

from .models import FAQEntry


class FAQSearchForm(StyledFormMixin, forms.Form):
    """Search, category and sort of the help center (page and API)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("e.g. PCE, invoice, invitation")}),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *FAQEntry.Category.choices],
        widget=forms.Select(),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("", _("Topic")), ("updated", _("Recently updated"))],
        widget=forms.Select(),
    )
