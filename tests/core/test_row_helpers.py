"""What list rows use instead of slower equivalents writes the same text."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import engines
from django.utils import translation

from customers.models import Association
from opportunities.models import Opportunity
from partner_center.accounts.templatetags.pc_tags import countdown


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load pc_tags %}" + source).render(context)


@pytest.mark.parametrize("when", [datetime(2026, 12, 31, 17, 5, tzinfo=UTC), None, ""])
def test_strftime_writes_what_the_date_filter_writes(when):
    assert render('{{ w|strftime:"%Y-%m-%d %H:%M" }}', w=when) == render(
        '{{ w|date:"Y-m-d H:i" }}', w=when
    )
    assert render('{{ w|strftime:"%m-%d %H:%M" }}', w=when) == render(
        '{{ w|date:"m-d H:i" }}', w=when
    )
    if when:
        assert render('{{ w|strftime:"%Y-%m-%d" }}', w=when) == "2027-01-01"  # Shanghai time


@pytest.mark.parametrize(
    ("model", "field"),
    [(Opportunity, "state"), (Association, "state"), (Association, "billing_model")],
)
def test_choice_labels_are_djangos(model, field):
    django_display = model._get_FIELD_display
    with translation.override("zh-hans"):
        for value in [*(v for v, _ in model._meta.get_field(field).flatchoices), "unknown"]:
            row = model(**{field: value})
            mine = getattr(row, f"get_{field}_display")()
            assert mine == django_display(row, model._meta.get_field(field))
            assert isinstance(mine, str)


def test_the_countdown_badge():
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    deadline = now + timedelta(days=3)
    with translation.override("en"):
        assert countdown(None, now=now) == "\n"
        assert countdown(now - timedelta(hours=1), now=now) == (
            '<span class="badge text-bg-secondary" title="2026-12-01 09:00" '
            'data-testid="countdown">Deadline passed</span>\n'
        )
        assert 'text-bg-danger" title="2026-12-04 10:00"' in countdown(deadline, now, 0)
        assert "1 working day left" in countdown(deadline, now, 1)
        assert ">3 working days left<" in countdown(deadline, now, 3)
