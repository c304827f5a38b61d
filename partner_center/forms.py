"""Form styling in one place: which Bootstrap class a widget gets. The field template filter
(`widget_css`), the forms (`StyledFormMixin`, needed where a template renders choice by
choice) and the filter bars (`StyledFilterSet`) all ask `bootstrap_class`."""

from __future__ import annotations

from django import forms


def bootstrap_class(widget: forms.Widget, *, small: bool = False) -> str:
    """form-check-input for check boxes and radios, form-select for selects, form-control
    for the rest; `small` adds the -sm size (filter bars)."""
    if getattr(widget, "input_type", None) in ("checkbox", "radio"):
        return "form-check-input"
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    return f"{css} {css}-sm" if small else css


def add_class(widget: forms.Widget, css: str) -> None:
    """Add `css` to the widget's classes, once."""
    classes = widget.attrs.get("class", "").split()
    widget.attrs["class"] = " ".join([*classes, *(c for c in css.split() if c not in classes)])


def style_fields(fields, *, small: bool = False) -> None:
    for field in fields.values():
        add_class(field.widget, bootstrap_class(field.widget, small=small))


class StyledFormMixin:
    """Bootstrap classes on every widget of the form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)
