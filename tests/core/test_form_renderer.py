"""The form renderer writes the widgets Django's templates write, byte for byte."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from partner_center.form_renderer import FastWidgetRenderer

CHOICES = [("", "All"), ("a", "A & <b>"), ("b", gettext_lazy("Amount")), (3, 3)]
GROUPED = [("", "—"), ("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")]


class Everything(forms.Form):
    text = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": 'a "b"'}))
    number = forms.IntegerField(required=False)
    decimal = forms.DecimalField(required=False)
    email = forms.EmailField(required=False)
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    flag = forms.BooleanField(required=False)
    choice = forms.ChoiceField(required=False, choices=CHOICES)
    grouped = forms.ChoiceField(required=False, choices=GROUPED)
    many = forms.MultipleChoiceField(required=False, choices=CHOICES[1:])
    boxes = forms.MultipleChoiceField(
        required=False, choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple
    )
    grouped_boxes = forms.MultipleChoiceField(
        required=False, choices=GROUPED[1:], widget=forms.CheckboxSelectMultiple
    )
    radio = forms.ChoiceField(
        required=False, choices=CHOICES, widget=forms.RadioSelect(attrs={"class": "r"})
    )
    password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    safe = forms.CharField(required=False)


DATA = [
    {},
    {
        "text": "<script>&'\"",
        "number": "12",
        "decimal": "1234.5",
        "email": "a@b.c",
        "search": "客户 1",
        "date": "2026-12-03",
        "hidden": "h",
        "flag": "on",
        "choice": "a",
        "grouped": "y",
        "many": ["a", "b"],
        "boxes": ["b", "3"],
        "grouped_boxes": ["x"],
        "radio": "3",
        "password": "p<",
    },
]


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_every_widget_renders_as_the_templates_do(data, lang):
    fast, slow = FastWidgetRenderer(), DjangoTemplates()
    with override(lang):
        for bound in (
            Everything(data or None),
            Everything(initial={"date": datetime.date(2026, 1, 2)}),
        ):
            for field in bound:
                mine = field.field.widget.render(
                    field.html_name, field.value(), field.build_widget_attrs({}), fast
                )
                theirs = field.field.widget.render(
                    field.html_name, field.value(), field.build_widget_attrs({}), slow
                )
                assert mine == theirs, field.name


def test_safe_values_and_odd_attributes_match():
    fast, slow = FastWidgetRenderer(), DjangoTemplates()
    widget = forms.Select(
        attrs={"data-x": mark_safe("<i>"), "disabled": True, "hidden": False, "n": 0},
        choices=[(mark_safe("<v>"), mark_safe("<b>bold</b>")), (1.5, 2.25)],
    )
    assert widget.render("s", "1.5", renderer=fast) == widget.render("s", "1.5", renderer=slow)


def test_other_templates_go_to_django():
    widget = forms.ClearableFileInput()
    assert widget.render("f", None, renderer=FastWidgetRenderer()) == widget.render(
        "f", None, renderer=DjangoTemplates()
    )


def test_the_filter_bars_use_it(settings):
    assert settings.FORM_RENDERER == "partner_center.form_renderer.FastWidgetRenderer"
