"""Sort menus read in the reader's language, descending choices included."""

import re
from importlib import import_module

import pytest
from django.utils import translation

from partner_center.filters import SortFilter

FILTER_MODULES = [
    "opportunities.filters",
    "customers.filters",
    "billing.filters",
    "incentives.filters",
    "certification.filters",
    "partner_center.programs.filters",
    "partner_center.members.filters",
    "partner_center.notifications.filters",
]
for _module in FILTER_MODULES:
    import_module(_module)

CJK = re.compile(r"[\u3400-\u9fff]")


def _sort_filters():
    from django_filters import FilterSet

    seen = []

    def walk(cls):
        for sub in cls.__subclasses__():
            walk(sub)
            for name, flt in sub.base_filters.items():
                if isinstance(flt, SortFilter):
                    seen.append((f"{sub.__module__}.{sub.__name__}.{name}", flt))

    walk(FilterSet)
    return seen


def test_every_sort_menu_uses_the_shared_filter():
    import django_filters
    from django_filters import FilterSet

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    plain = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in walk(FilterSet)
        for name, flt in cls.base_filters.items()
        if type(flt) is django_filters.OrderingFilter
        and cls.__module__.split(".")[0] != "django_filters"
    ]
    assert plain == []


@pytest.mark.parametrize("filter_id", range(len(_sort_filters())))
def test_sort_choices_follow_the_language(filter_id):
    name, flt = _sort_filters()[filter_id]
    with translation.override("en"):
        english = [str(label) for _value, label in flt.field.choices if _value]
    with translation.override("zh-hans"):
        chinese = [str(label) for _value, label in flt.field.choices if _value]
    assert not [label for label in english if CJK.search(label)], name
    assert not [label for label in chinese if "descending" in label], name
    assert any("（降序）" in label for label in chinese), name
