import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partner_center.filters import SortFilter
from partner_center.forms import add_class, bootstrap_class

from .models import PCEApplication


class PCEApplicationFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=PCEApplication.State.choices, empty_label=_("Any state")
    )
    q = django_filters.CharFilter(label=_("Partner or credit code"), method="filter_q")
    applied_after = django_filters.DateFilter(
        label=_("Applied from"), field_name="applied_at", lookup_expr="date__gte"
    )
    applied_before = django_filters.DateFilter(
        label=_("Applied until"), field_name="applied_at", lookup_expr="date__lte"
    )
    ordering = SortFilter(
        label=_("Sort by"),
        empty_label=_("Newest first"),
        fields=(("applied_at", "applied_at"), ("partner__name", "partner"), ("state", "state")),
        field_labels={
            "applied_at": pgettext_lazy("date column", "Applied"),
            "partner__name": _("Partner"),
            "state": _("State"),
        },
    )

    class Meta:
        model = PCEApplication
        fields = ["state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            add_class(field.widget, bootstrap_class(field.widget, small=True))
            if name.startswith("applied_"):
                field.widget.input_type = "date"

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(partner__name__icontains=value) | Q(partner__credit_code__icontains=value)
        )
