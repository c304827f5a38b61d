import django_filters
from django.utils.translation import gettext_lazy as _

from partner_center.filters import SortFilter
from partner_center.forms import add_class, bootstrap_class

from .models import AREAS, Notification


class NotificationFilter(django_filters.FilterSet):
    area = django_filters.ChoiceFilter(
        label=_("Area"),
        choices=list(AREAS.items()),
        method="filter_area",
        empty_label=_("All areas"),
    )
    read = django_filters.ChoiceFilter(
        label=_("Read"),
        choices=[("unread", _("Unread")), ("read", _("Read"))],
        method="filter_read",
        empty_label=_("Read and unread"),
    )
    kind = django_filters.CharFilter(label=_("Kind"), field_name="kind")
    sent_after = django_filters.DateFilter(
        label=_("Sent from"), field_name="created_at", lookup_expr="date__gte"
    )
    sent_before = django_filters.DateFilter(
        label=_("Sent until"), field_name="created_at", lookup_expr="date__lte"
    )
    ordering = SortFilter(
        label=_("Sort by"),
        empty_label=_("Newest first"),
        fields=(("created_at", "created_at"),),
        field_labels={"created_at": _("Sent")},
    )

    class Meta:
        model = Notification
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            add_class(field.widget, bootstrap_class(field.widget, small=True))
            if name.startswith("sent_"):
                field.widget.input_type = "date"

    def filter_area(self, queryset, name, value):
        return queryset.filter(kind__startswith=f"{value}.") if value else queryset

    def filter_read(self, queryset, name, value):
        if value == "unread":
            return queryset.filter(read_at__isnull=True)
        if value == "read":
            return queryset.filter(read_at__isnull=False)
        return queryset
