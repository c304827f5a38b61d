"""`{% url %}` for every template (a builtin, settings TEMPLATES), with each URL's shape worked
out once per process.

List rows link to their items: a customer list page reverses a hundred URLs, each a walk of the
URL patterns. Here the URL of a view with whole-number arguments is reversed once with stand-in
numbers and kept as its fixed parts; the rows then only join their numbers in. Anything else
(text arguments, keyword arguments, negative numbers, a pattern that refuses the stand-in)
goes to Django's own tag, so the output is always what `reverse` gives
(tests/core/test_urltag.py).
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

STAND_IN = 9_876_543_210  # stands for the arguments while a URL's shape is worked out
_SHAPES: dict[tuple, tuple[str, ...] | None] = {}


def shape(view_name: str, arity: int, current_app) -> tuple[str, ...] | None:
    """The URL of `view_name` cut where its `arity` numbers go, or None when it cannot be."""
    key = (
        view_name,
        arity,
        current_app,
        get_urlconf() or settings.ROOT_URLCONF,  # tests may swap the URLconf
        get_script_prefix(),
        get_language(),
    )
    try:
        return _SHAPES[key]
    except KeyError:
        pass
    stand_ins = [STAND_IN + i for i in range(arity)]
    found: tuple[str, ...] | None
    try:
        rest = reverse(view_name, args=stand_ins, current_app=current_app)
    except NoReverseMatch:
        found = None
    else:
        parts = []
        for number in map(str, stand_ins):
            if rest.count(number) != 1:
                found = None
                break
            head, rest = rest.split(number)
            parts.append(head)
        else:
            found = (*parts, rest)
    if len(_SHAPES) > 10_000:
        _SHAPES.clear()
    _SHAPES[key] = found
    return found


class ShapedURLNode(URLNode):
    def render(self, context):
        if self.kwargs:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        if any(type(arg) is not int or arg < 0 for arg in args):
            return super().render(context)
        view_name = self.view_name.resolve(context)
        if not isinstance(view_name, str):
            return super().render(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        parts = shape(view_name, len(args), current_app)
        if parts is None:
            return super().render(context)
        url = parts[0] + "".join(f"{arg}{part}" for arg, part in zip(args, parts[1:], strict=True))
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return ShapedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
