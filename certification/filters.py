"""Filters and sorting for the certification lists, shared by pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partner_center.filters import SortFilter, contains_any, date_range
from partner_center.forms import add_class, bootstrap_class

from .models import (
    BankCardCertification,
    CapabilityLabel,
    Defense,
    EnterpriseCertification,
    LabelApplication,
)


class _Base(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    search_fields: tuple[str, ...] = ()

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            # django-filter's choice fields add their own empty choice ("All") when their
            # choices are read: setting choices with one more "" choice showed it twice.
            for field in form.fields.values():
                add_class(field.widget, bootstrap_class(field.widget, small=True))
        return self._form

    def search(self, queryset, name, value):
        return contains_any(queryset, self.search_fields, value)


class EnterpriseCertificationFilter(_Base):
    search_fields = ("partner__name", "partner__credit_code")
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=EnterpriseCertification.State.choices,
    )
    submitted_from, submitted_to = date_range(
        "submitted_at", _("Submitted from"), _("Submitted until")
    )
    sort = SortFilter(
        label=_("Sort"),
        fields=(
            ("created_at", "created"),
            ("submitted_at", "submitted"),
            ("partner__name", "partner"),
        ),
        field_labels={
            "created": _("Started"),
            "submitted": pgettext_lazy("date column", "Submitted"),
            "partner": _("Partner"),
        },
    )

    class Meta:
        model = EnterpriseCertification
        fields = ["state"]


class BankCardFilter(_Base):
    search_fields = ("partner__name", "holder_name", "bank_name")
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=BankCardCertification.State.choices,
    )
    sort = SortFilter(
        label=_("Sort"),
        fields=(
            ("submitted_at", "submitted"),
            ("holder_name", "holder"),
            ("partner__name", "partner"),
        ),
        field_labels={
            "submitted": pgettext_lazy("date column", "Submitted"),
            "holder": _("Card holder"),
            "partner": _("Partner"),
        },
    )

    class Meta:
        model = BankCardCertification
        fields = ["state"]


class LabelApplicationFilter(_Base):
    search_fields = ("partner__name", "label__name_zh", "label__name_en", "label__code")
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=LabelApplication.State.choices,
    )
    label = django_filters.ModelChoiceFilter(
        label=_("Label"),
        queryset=CapabilityLabel.objects.order_by("position", "code"),
    )
    sort = SortFilter(
        label=_("Sort"),
        fields=(
            ("created_at", "created"),
            ("submitted_at", "submitted"),
            ("defense_deadline", "defense_deadline"),
            ("partner__name", "partner"),
        ),
        field_labels={
            "created": _("Started"),
            "submitted": pgettext_lazy("date column", "Submitted"),
            "defense_deadline": _("Defense window"),
            "partner": _("Partner"),
        },
    )

    class Meta:
        model = LabelApplication
        fields = ["state", "label"]


class DefenseFilter(_Base):
    search_fields = (
        "application__partner__name",
        "application__label__name_zh",
        "application__label__name_en",
    )

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        method="by_status",
        choices=[
            ("requested", _("Waiting for a date")),
            ("scheduled", _("Scheduled")),
            ("done", _("Outcome recorded")),
        ],
    )
    sort = SortFilter(
        label=_("Sort"),
        fields=(("requested_at", "requested"), ("scheduled_at", "scheduled")),
        field_labels={
            "requested": pgettext_lazy("date column", "Requested"),
            "scheduled": _("Defense time"),
        },
    )

    class Meta:
        model = Defense
        fields = []

    def by_status(self, queryset, name, value):
        if value == "requested":
            return queryset.filter(application__state=LabelApplication.State.DEFENSE_REQUESTED)
        if value == "scheduled":
            return queryset.filter(application__state=LabelApplication.State.DEFENSE_SCHEDULED)
        if value == "done":
            return queryset.exclude(outcome="")
        return queryset
