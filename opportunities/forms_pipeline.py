"""Forms of the pipeline pages: dashboard and assessment filters, the HO profile."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from partner_center.accounts.models import Partner, User
from partner_center.accounts.permissions import PartnerType, Role
from partner_center.forms import StyledFormMixin, style_fields
from partner_center.periods import is_period, period_choices

from . import assessment, dashboards
from .catalog import Industry, Product, Region
from .models import Opportunity

ALL = [("", _("All"))]


class _Filters(forms.Form):
    """A GET filter form: invalid values fall back to "all" (never an error page)."""

    def __init__(self, data=None, **kwargs):
        super().__init__(data or None, **kwargs)
        style_fields(self.fields, small=True)

    def value(self, name: str, default=""):
        if not self.is_bound:
            return self.fields[name].initial or default
        field = self.fields[name]
        try:
            return field.clean(self.data.get(name, "")) or default
        except forms.ValidationError:
            return default


class DashboardFilterForm(_Filters):
    period = forms.ChoiceField(label=_("Started in"), required=False)
    region = forms.ChoiceField(label=_("Region"), choices=ALL + Region.choices, required=False)
    industry = forms.ChoiceField(
        label=_("Industry"), choices=ALL + Industry.choices, required=False
    )

    def __init__(self, *args, bd: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", _("All time")), *period_choices()]
        if bd:
            self.fields["bd_owner"] = forms.ModelChoiceField(
                label=_("BD owner"),
                queryset=User.objects.filter(role=Role.BD, is_active=True).order_by("email"),
                required=False,
                empty_label=_("All"),
            )
            self.fields["partner"] = forms.ModelChoiceField(
                label=_("Partner"),
                queryset=Partner.objects.filter(
                    Exists(Opportunity.objects.filter(partner=OuterRef("pk")))
                ).order_by("name"),
                required=False,
                empty_label=_("All"),
            )
            self.fields["by"] = forms.ChoiceField(
                label=_("Break down by"),
                choices=list(dashboards.BREAKDOWNS.items()),
                required=False,
            )
            style_fields(self.fields, small=True)

    def filters(self) -> dashboards.Filters:
        owner = self.value("bd_owner", None) if "bd_owner" in self.fields else None
        partner = self.value("partner", None) if "partner" in self.fields else None
        period = self.value("period")
        return dashboards.Filters(
            period=period if is_period(period) else "",
            bd_owner_id=owner.pk if owner else None,
            region=self.value("region"),
            industry=self.value("industry"),
            partner_id=partner.pk if partner else None,
        )


class AssessmentFilterForm(_Filters):
    partner_type = forms.ChoiceField(
        label=_("Partner type"), choices=ALL + PartnerType.choices, required=False
    )
    region = forms.ChoiceField(
        label=_("Customer region"), choices=ALL + Region.choices, required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort"), choices=list(assessment.SORT_LABELS.items()), required=False
    )


class HOProfileForm(StyledFormMixin, forms.Form):
    industries = forms.MultipleChoiceField(
        label=_("Industries you serve"),
        choices=Industry.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions you serve"),
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    products = forms.MultipleChoiceField(
        label=_("Products you sell"),
        choices=Product.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
