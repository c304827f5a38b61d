"""`{% url %}` (partner_center/urltag.py) writes what `reverse` gives."""

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from partner_center import urltag


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("home", []),
        ("opportunities:list", []),
        ("opportunities:detail", [7]),
        ("opportunities:detail", [0]),
        ("opportunities:detail", [12345678901234]),
        ("customers:detail", [42]),
        ("opportunities:opportunities_export", ["csv"]),
    ],
)
def test_it_writes_what_reverse_gives(name, args):
    source = "{% url name " + " ".join(f"a{i}" for i in range(len(args))) + " %}"
    context = {"name": name, **{f"a{i}": arg for i, arg in enumerate(args)}}
    assert render(source, **context) == reverse(name, args=args)
    assert render(source, **context) == reverse(name, args=args)  # from the kept shape


def test_the_shape_is_kept_once_per_view_and_arity():
    urltag._SHAPES.clear()
    for pk in (1, 2, 3):
        assert render("{% url 'opportunities:detail' pk %}", pk=pk) == f"/opportunities/{pk}/"
    assert list(urltag._SHAPES.values()) == [("/opportunities/", "/")]


def test_as_var_escaping_and_the_request_namespace():
    request = RequestFactory().get("/")
    out = (
        engines["django"]
        .from_string("{% url 'opportunities:detail' 5 as link %}[{{ link }}]")
        .render({}, request)
    )
    assert out == "[/opportunities/5/]"


def test_what_it_cannot_shape_goes_to_django():
    with pytest.raises(NoReverseMatch):
        render("{% url 'opportunities:detail' -1 %}")
    with pytest.raises(NoReverseMatch):
        render("{% url 'opportunities:detail' %}")
    assert render("{% url 'opportunities:detail' pk=3 %}") == "/opportunities/3/"
    assert render("{% url 'nothing' 1 as gone %}[{{ gone }}]") == "[]"
