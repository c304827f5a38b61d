"""Filters shared by the list pages, the exports and the API."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.utils.translation import gettext_lazy as _

from customers.models import Order, Product
from partner_center.filters import SearchFilter, SortFilter, StyledFilterSet, date_range

from . import periods
from .models import IncentiveApplication, PerformanceRecord


def _period_choices():
    return periods.choices()


class PerformanceFilter(StyledFilterSet):
    """Performance details: by billing period, formation time, order type, customer and
    product. `customer` is an exact id (the links of the summary use it); `q` searches."""

    period = df.ChoiceFilter(
        label=_("Billing period"),
        field_name="billing_period",
        choices=_period_choices,
        empty_label=_("All periods"),
    )
    formed_from, formed_until = date_range("formed_at", _("Formed from"), _("Formed until"))
    order_type = df.ChoiceFilter(label=_("Order type"), choices=Order.Type.choices)
    q = SearchFilter(
        label=_("Customer"),
        fields=("customer__name", "customer__account_name"),
        widget=forms.TextInput(attrs={"placeholder": _("Name or account")}),
    )
    customer = df.NumberFilter(field_name="customer_id", widget=forms.HiddenInput)
    product = df.ModelChoiceFilter(
        label=_("Product"), queryset=Product.objects.order_by("code"), empty_label=_("All products")
    )
    sort = SortFilter(
        label=_("Sort by"),
        empty_label=_("Default order"),
        fields=(("formed_at", "formed_at"), ("amount", "amount"), ("customer__name", "customer")),
        field_labels={
            "formed_at": _("Formation time"),
            "amount": _("Performance"),
            "customer__name": _("Customer"),
        },
    )

    class Meta:
        model = PerformanceRecord
        fields = ["period", "formed_from", "formed_until", "order_type", "q", "customer", "product"]


class StaffPerformanceFilter(PerformanceFilter):
    """Vendor staff see every partner's performance and may narrow it to one partner."""

    partner = df.NumberFilter(field_name="partner_id", label=_("Partner ID"))

    class Meta(PerformanceFilter.Meta):
        fields = [*PerformanceFilter.Meta.fields, "partner"]


class ApplicationFilter(StyledFilterSet):
    """PCE incentive applications: by state and opportunity, newest first by default."""

    state = df.ChoiceFilter(
        label=_("State"), choices=IncentiveApplication.State.choices, empty_label=_("All states")
    )
    q = SearchFilter(
        label=_("Search"),
        fields=(
            "opportunity__project_name",
            "opportunity__customer_name",
            "partner__name",
        ),
        widget=forms.TextInput(attrs={"placeholder": _("Project, customer or partner")}),
    )
    sort = SortFilter(
        label=_("Sort by"),
        empty_label=_("Default order"),
        fields=(("applied_at", "applied_at"), ("total", "total")),
        field_labels={"applied_at": _("Applied at"), "total": _("Total")},
    )

    class Meta:
        model = IncentiveApplication
        fields = ["state", "q"]
