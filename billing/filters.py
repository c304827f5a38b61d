"""Filters of the bill detail lines (the page, its CSV/XLSX exports and the API share them),
and of the export-task and invoice lists."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partner_center.filters import SearchFilter, SortFilter

from .models import Bill, BillLine, ExportTask, Invoice

OWN_CUSTOMERS = "own"
# A month picker: browsers send "YYYY-MM", the billing period's own format.
PERIOD_INPUT = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})


class BillLineFilter(django_filters.FilterSet):
    q = SearchFilter(
        fields=("customer_name", "customer_account", "order_no", "source_ref"),
        label=_("Search"),
        widget=forms.TextInput(attrs={"placeholder": _("Customer, account or order number")}),
    )
    line_type = django_filters.ChoiceFilter(
        choices=BillLine.Type.choices, label=_("Type"), empty_label=_("All types")
    )
    # Free text in the API (a product code; a reseller id or "own"); the page turns them into
    # drop-downs of the bill's own products and resellers.
    product = django_filters.CharFilter(field_name="product_code", label=_("Product"))
    reseller = django_filters.CharFilter(method="by_reseller", label=_("Reseller"))
    date_from = django_filters.DateFilter(
        method="from_date",
        label=pgettext_lazy("date range", "From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        method="to_date",
        label=pgettext_lazy("date range", "To"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ordering = SortFilter(
        fields=(("occurred_at", "time"), ("amount", "amount"), ("customer_name", "customer")),
        field_labels={
            "occurred_at": _("Time"),
            "amount": _("Amount"),
            "customer_name": _("Customer"),
        },
        label=_("Sort by"),
        empty_label=_("Time, oldest first"),
    )

    class Meta:
        model = BillLine
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, bill: Bill | None = None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        if bill is not None:
            lines = BillLine.objects.filter(bill=bill)
            products = list(
                lines.values("product_code")
                .annotate(name=Max("product_name"))
                .order_by("product_code")
                .values_list("product_code", "name")
            )
            self.filters["product"].extra["widget"] = forms.Select(
                choices=[("", _("All products")), *products]
            )
            resellers = list(
                lines.filter(reseller__isnull=False)
                .values("reseller_id")
                .annotate(name=Max("reseller_name"))
                .order_by("name")
                .values_list("reseller_id", "name")
            )
            if resellers:
                self.filters["reseller"].extra["widget"] = forms.Select(
                    choices=[
                        ("", _("All customers")),
                        (OWN_CUSTOMERS, _("Own customers")),
                        *[(str(pk), name) for pk, name in resellers],
                    ]
                )
            else:
                del self.filters["reseller"]

    def by_reseller(self, queryset, name, value):
        if value == OWN_CUSTOMERS:
            return queryset.filter(reseller__isnull=True)
        if str(value).isdigit():
            return queryset.filter(reseller_id=int(value))
        return queryset.none()

    def from_date(self, queryset, name, value):
        return queryset.filter(occurred_at__date__gte=value) if value else queryset

    def to_date(self, queryset, name, value):
        return queryset.filter(occurred_at__date__lte=value) if value else queryset


class ExportTaskFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=ExportTask.State.choices, label=_("State"), empty_label=_("All states")
    )
    period = django_filters.CharFilter(
        field_name="bill__period", label=_("Billing period"), widget=PERIOD_INPUT
    )
    bill = django_filters.NumberFilter(field_name="bill_id", widget=forms.HiddenInput)

    class Meta:
        model = ExportTask
        fields: list[str] = []


class InvoiceFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=Invoice.State.choices, label=_("State"), empty_label=_("All states")
    )
    period = django_filters.CharFilter(
        field_name="bill__period", label=_("Billing period"), widget=PERIOD_INPUT
    )

    class Meta:
        model = Invoice
        fields: list[str] = []


class BillFilter(django_filters.FilterSet):
    period = django_filters.CharFilter(field_name="period", label=_("Billing period"))
    state = django_filters.ChoiceFilter(choices=Bill.State.choices, label=_("State"))

    class Meta:
        model = Bill
        fields: list[str] = []
