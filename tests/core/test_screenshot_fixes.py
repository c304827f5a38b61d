"""What looking at the screenshots of the issue-19 pages (bin/screenshots) found, kept fixed:
Chinese punctuation on Chinese pages, one sentence per translation, controls that fit."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from opportunities.catalog import Product
from tests.opportunities.conftest import make_ho, make_po

pytestmark = pytest.mark.django_db

# A half-width comma, semicolon, colon, full stop or parenthesis next to a Chinese character.
HALF_WIDTH_IN_CHINESE = re.compile(r"[\u4e00-\u9fff][,;:.()]|[,;:()][\u4e00-\u9fff]")


def _get(client, url: str, language: str = "zh-hans") -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_partner_home_greets_in_chinese_punctuation(login, owner):
    html = _get(login(owner), "/")
    assert "欢迎回来，" in html
    assert "欢迎回来," not in html


def test_the_error_page_writes_chinese_with_chinese_punctuation():
    html = render_to_string("500.html")
    chinese = re.search(r"<p>([^<]*)</p>", html).group(1)
    assert not HALF_WIDTH_IN_CHINESE.search(chinese), chinese
    assert '<p lang="en">' in html


def test_a_returned_po_says_what_may_change_in_one_chinese_sentence(login, owner, bd):
    po = make_po(owner, state="returned", bd=bd)
    html = _get(login(owner), reverse("opportunities:detail", args=[po.pk]))
    assert "。截止时间不变，计时继续。" in html  # no space between the two sentences


def test_product_labels_use_full_width_parentheses_in_chinese():
    with translation.override("zh-hans"):
        labels = [str(label) for label in Product.labels]
    assert labels
    assert not [label for label in labels if "(" in label or ")" in label]


def test_the_bulk_review_form_lists_each_field_as_a_labelled_check_box(login, owner, bd):
    make_po(owner, state="submitted", bd=bd)
    html = _get(login(bd), reverse("opportunities:review_queue"))
    # The widget's own wrapper took the check box's class: a 1em box the labels spilled out of.
    assert 'id="id_fields" class="form-check-input"' not in html
    fieldset = html.split('data-testid="bulk-fields"', 1)[1].split("</fieldset>", 1)[0]
    assert fieldset.count('class="form-check"') == fieldset.count('type="checkbox"') > 3
    assert fieldset.count('class="form-check-label small"') > 3


def test_an_inbox_without_saved_views_shows_no_empty_views_row(login, owner, bd):
    make_ho(bd, owner.partner)
    html = _get(login(owner), reverse("opportunities:ho_inbox"))
    assert 'data-testid="saved-views"' not in html
    assert 'data-testid="opportunity-table"' in html


def test_a_filtered_empty_customer_list_says_the_filters_match_nothing(login, owner):
    html = _get(login(owner), reverse("customers:list") + "?q=zzzz", language="en")
    assert "No customers match" in html
    assert "Change or reset the filters." in html
    html = _get(login(owner), reverse("customers:list"), language="en")
    assert "No customers yet" in html


def test_invitation_links_stack_on_a_phone_with_the_link_on_its_own_line(login, owner):
    from customers import services

    services.invitation_create(actor=owner, billing_model="referral")
    html = _get(login(owner), reverse("customers:invitations"))
    assert "pc-table-stack" in html
    assert "pc-cell-link" in html


def test_the_enterprise_certification_submitted_line_is_one_chinese_sentence():
    with translation.override("zh-hans"):
        text = gettext(
            "Submitted on %(when)s. A certification specialist reviews the attachments."
        ) % {"when": "2026-12-03 21:27"}
    assert text == "已于 2026-12-03 21:27 提交。能力认证运营专员正在审核附件。"


def test_the_performance_chart_has_a_phone_legend_and_spare_period_labels():
    from decimal import Decimal

    from incentives.charts import performance_chart

    periods = [f"2026-{m:02d}" for m in range(1, 13)]
    values = [Decimal("100.00")] * 12
    html = str(
        performance_chart(
            periods,
            [("启航云服科技(深圳)有限公司", values, False), ("Others", values, True)],
            total=[v * 2 for v in values],
            total_label="Total",
            title="t",
        )
    )
    legend = html.split('<ul class="pc-chart-legend-list"', 1)[1]
    assert legend.count("<li>") == 3 and "启航云服科技(深圳)有限公司" in legend  # names in full
    assert html.count('class="pc-chart-axis"') > 6  # y labels and the kept period labels
    assert html.count("pc-chart-x-alt") == 6  # every second period, the latest one kept
    assert 'class="pc-chart-axis">26-12<' in html


def test_the_performance_total_label_takes_a_full_width_colon_in_chinese():
    from django.template import Context, Template

    template = Template(
        "{% load i18n %}{% blocktranslate with total=t %}Total performance: "
        '<strong data-testid="filtered-total">{{ total }}</strong>{% endblocktranslate %}'
    )
    with translation.override("zh-hans"):
        html = template.render(Context({"t": "¥4,366.50"}))
    assert html == '业绩合计：<strong data-testid="filtered-total">¥4,366.50</strong>'
