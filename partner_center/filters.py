"""Pieces shared by the filter bars of every list page (django-filter)."""

import django_filters as df
from django import forms
from django.db.models import Q
from django.forms.utils import pretty_name
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partner_center.forms import style_fields


class StyledFilterSet(df.FilterSet):
    """Small Bootstrap inputs for the filter bar of a list page."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            style_fields(form.fields, small=True)
            form._styled = True
        return form


def date_range(
    field_name: str, label_from: str, label_until: str, **kwargs
) -> tuple[df.DateFilter, df.DateFilter]:
    """The "from" and "until" date inputs of a filter bar, on the day of the `field_name`
    timestamp, both days included; `kwargs` go to both filters."""
    date = forms.DateInput(attrs={"type": "date"})
    after, before = (
        df.DateFilter(
            label=label, field_name=field_name, lookup_expr=f"date__{op}", widget=date, **kwargs
        )
        for label, op in ((label_from, "gte"), (label_until, "lte"))
    )
    return after, before


def contains_any(queryset, fields, value: str):
    """The rows where any of `fields` contains `value`, ignoring case (all rows for an empty
    value)."""
    value = value.strip()
    if not value:
        return queryset
    cond = Q()
    for field in fields:
        cond |= Q(**{f"{field}__icontains": value})
    return queryset.filter(cond)


class SearchFilter(df.CharFilter):
    """A search box: the rows where any of `fields` contains the text, ignoring case."""

    def __init__(self, *args, fields: tuple[str, ...], **kwargs):
        super().__init__(*args, method=self.search, **kwargs)
        self.search_fields = fields

    def search(self, queryset, name, value):
        return contains_any(queryset, self.search_fields, value)


class AnyYesNoWidget(df.widgets.BooleanWidget):
    """A yes/no select whose empty choice reads "All" (django-filter's says "Unknown")."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


class YesNoFilter(df.BooleanFilter):
    """A boolean filter offered as All / Yes / No; `?name=true|false` in URLs and the API."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AnyYesNoWidget)
        super().__init__(*args, **kwargs)


class SortFilter(df.OrderingFilter):
    """The sort menu of a list page. django-filter renders the descending choices once, at
    import, in whatever language is active then, with its own untranslated "(descending)";
    these labels stay lazy and are rendered in the reader's language."""

    descending_fmt = pgettext_lazy("sort menu", "{} (descending)")

    def __init__(self, *args, **kwargs):
        # The empty choice of a sort menu is the list's own order, not "All".
        kwargs.setdefault("empty_label", _("Default order"))
        super().__init__(*args, **kwargs)

    def build_choices(self, fields, labels):
        # `field_labels` may name the model field or the URL parameter.
        ascending = [
            (param, labels.get(field) or labels.get(param) or _(pretty_name(param)))
            for field, param in fields.items()
        ]
        descending = [
            (f"-{param}", labels.get(f"-{param}", format_lazy(self.descending_fmt, label)))
            for param, label in ascending
        ]
        return [val for pair in zip(ascending, descending, strict=True) for val in pair]

    def filter(self, qs, value):
        """The chosen order, then the primary key in the same direction: rows that tie on
        the sort field (the same deadline, amount or customer) keep one order from page to
        page, instead of showing up twice or never, and an index on (field, id) serves it."""
        qs = super().filter(qs, value)
        keys = [key for key in (value or []) if key]
        if not keys:
            return qs
        return qs.order_by(*qs.query.order_by, "-pk" if keys[-1].startswith("-") else "pk")
