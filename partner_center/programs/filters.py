import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partner_center.filters import SearchFilter, SortFilter, StyledFilterSet, date_range

from .models import PCEApplication


class PCEApplicationFilter(StyledFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=PCEApplication.State.choices, empty_label=_("Any state")
    )
    q = SearchFilter(
        label=_("Partner or credit code"), fields=("partner__name", "partner__credit_code")
    )
    applied_after, applied_before = date_range("applied_at", _("Applied from"), _("Applied until"))
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
