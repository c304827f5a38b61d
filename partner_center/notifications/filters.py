import django_filters
from django.utils.translation import gettext_lazy as _

from partner_center.filters import SortFilter, StyledFilterSet, date_range

from .models import AREAS, Notification


class NotificationFilter(StyledFilterSet):
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
    sent_after, sent_before = date_range("created_at", _("Sent from"), _("Sent until"))
    ordering = SortFilter(
        label=_("Sort by"),
        empty_label=_("Newest first"),
        fields=(("created_at", "created_at"),),
        field_labels={"created_at": _("Sent")},
    )

    class Meta:
        model = Notification
        fields: list[str] = []

    def filter_area(self, queryset, name, value):
        return queryset.filter(kind__startswith=f"{value}.") if value else queryset

    def filter_read(self, queryset, name, value):
        if value == "unread":
            return queryset.filter(read_at__isnull=True)
        if value == "read":
            return queryset.filter(read_at__isnull=False)
        return queryset
