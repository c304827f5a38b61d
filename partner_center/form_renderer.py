"""Django's form renderer, with the common widgets built in Python.

A list page's filter bar renders a dozen widgets; through Django's widget templates each one is
an include per option and per attribute list (a select of 15 options: 32 templates). This
renderer writes the same bytes as those templates for the widgets the portal uses (inputs,
selects, checkbox and radio lists with Django's own templates) and hands every other template
to Django's renderer. tests/core/test_form_renderer.py holds both to the same output.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime

W = "django/forms/widgets/"
INPUTS = {
    f"{W}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "checkbox",
    )
}
SELECTS = {f"{W}select.html"}
LISTS = {f"{W}checkbox_select.html", f"{W}radio.html", f"{W}multiple_input.html"}
OPTION_INPUTS = {f"{W}checkbox_option.html", f"{W}radio_option.html"}


class Fallback(Exception):
    """A context this module does not write exactly as the template would."""


def _out(value) -> str:
    """`{{ value }}`: localised, escaped."""
    return conditional_escape(localize(template_localtime(value)))


def _str(value) -> str:
    """`{{ value|stringformat:'s' }}`."""
    safe = isinstance(value, SafeData)
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 - as the filter does
    except (ValueError, TypeError):
        text = ""
    return text if safe else conditional_escape(text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    if "items" in attrs:  # the template would read the key, not the method
        raise Fallback
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(f" {_out(name)}")
            if value is not True:
                parts.append(f'="{_str(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html (with its newline)."""
    value = f' value="{_str(widget["value"])}"' if widget["value"] != None else ""  # noqa: E711
    return f'<input type="{_out(widget["type"])}" name="{_out(widget["name"])}"{value}{_attrs(widget["attrs"])}>\n'


def _input_option(option: dict) -> str:
    """checkbox_option.html / radio_option.html: input_option.html and a newline."""
    if option.get("template_name") not in OPTION_INPUTS:
        raise Fallback
    if option.get("wrap_label"):
        ident = option["attrs"].get("id")
        label_for = f' for="{_out(ident)}"' if ident else ""
        return f"<label{label_for}>{_input(option)} {_out(option['label'])}</label>\n\n"
    return f"{_input(option)}\n\n"


def _select(widget: dict) -> str:
    out = [f'<select name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_out(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != f"{W}select_option.html":
                raise Fallback
            out.append(
                f'\n  <option value="{_str(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_out(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def _list(widget: dict) -> str:
    """django/forms/widgets/multiple_input.html."""
    attrs = widget["attrs"]
    ident = attrs.get("id")
    out = ["<div"]
    if ident:
        out.append(f' id="{_out(ident)}"')
    if attrs.get("class"):
        out.append(f' class="{_out(attrs["class"])}"')
    out.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{_out(group)}</label>")
        for option in options:
            out.append(f"<div>\n    {_input_option(option)}</div>")
        if group:
            out.append("\n  </div>")
    out.append("\n</div>\n")
    return "".join(out)


class FastWidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict):
            try:
                if template_name in INPUTS:
                    return _input(widget).strip()
                if template_name in SELECTS:
                    return _select(widget).strip()
                if template_name in LISTS:
                    return _list(widget).strip()
            except (Fallback, KeyError):
                pass
        return super().render(template_name, context, request)
