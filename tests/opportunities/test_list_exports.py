"""List exports (issue [5]): the opportunity list, the review queue and the HO pool as CSV and
XLSX with the page's filters and sort; formula-safe; a partner exports only its own rows."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.helpers import count_queries

from .conftest import make_lead, make_po

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _ids(rows) -> list[int]:
    return [int(row[0]) for row in rows[1:]]


def test_partner_exports_its_own_list_with_the_filters_and_sort(client, owner, outsider, bd):
    small = make_po(owner, state="submitted", bd=bd, customer_name="=cmd|' /C calc'!A0")
    big = make_po(owner, state="submitted", bd=bd, customer_name="大客户有限公司", amount=900000)
    draft = make_po(owner, customer_name="草稿客户有限公司", amount=100)
    theirs = make_po(outsider, state="submitted", bd=bd, customer_name="外部客户有限公司")
    client.force_login(owner)
    url = reverse("opportunities:opportunities_export", args=["csv"])
    rows = _csv(client.get(url, {"view": "all", "sort": "-amount"}))
    assert _ids(rows) == [big.pk, small.pk, draft.pk]  # sorted, own rows only
    assert theirs.pk not in _ids(rows)
    cells = {int(r[0]): r for r in rows[1:]}
    assert cells[small.pk][3].startswith("'=")  # formula-safe
    rows = _csv(client.get(url, {"state": "draft"}))
    assert _ids(rows) == [draft.pk]
    page = client.get(reverse("opportunities:list"), {"state": "draft"}).content.decode()
    assert 'data-testid="export-csv"' in page and "export.csv?state=draft" in page
    client.force_login(outsider)
    assert _ids(_csv(client.get(url, {"view": "all"}))) == [theirs.pk]


def test_bd_exports_the_review_queue_of_every_partner_as_xlsx(client, owner, outsider, bd):
    mine = make_po(owner, state="submitted", bd=bd, customer_name="=HYPERLINK(1)")
    theirs = make_po(outsider, state="submitted", bd=bd, customer_name="外部客户有限公司")
    make_po(owner, state="verified", bd=bd, customer_name="已验证客户有限公司")
    client.force_login(bd)
    response = client.get(reverse("opportunities:review_queue_export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sorted(int(r[0]) for r in rows[1:]) == sorted([mine.pk, theirs.pk])
    customers = {r[4] for r in rows[1:]}
    assert "'=HYPERLINK(1)" in customers
    assert client.get(reverse("opportunities:review_queue_export", args=["pdf"])).status_code == 404


def test_pool_export_applies_its_filters_and_is_bd_only(client, owner, bd):
    lead = make_lead(bd, customer_name="池中客户有限公司")
    make_lead(bd, customer_name="另一个客户有限公司")
    client.force_login(bd)
    url = reverse("opportunities:ho_pool_export", args=["csv"])
    rows = _csv(client.get(url, {"customer": "池中"}))
    assert _ids(rows) == [lead.pk]
    client.force_login(owner)
    assert client.get(url).status_code == 403
    assert client.get(reverse("opportunities:review_queue_export", args=["csv"])).status_code == 403


def test_export_queries_do_not_grow_with_the_rows(client, owner, bd):
    client.force_login(bd)
    url = reverse("opportunities:review_queue_export", args=["csv"])

    def export():
        _csv(client.get(url, {"view": "all"}))

    make_po(owner, state="submitted", bd=bd, customer_name="客户甲有限公司")
    one = count_queries(export)
    for i in range(4):
        make_po(owner, state="submitted", bd=bd, customer_name=f"客户{i}有限公司")
    assert count_queries(export) == one
    pool = reverse("opportunities:ho_pool_export", args=["xlsx"])
    make_lead(bd, customer_name="池一有限公司")
    one = count_queries(client.get, pool)
    for i in range(4):
        make_lead(bd, customer_name=f"池{i}有限公司")
    assert count_queries(client.get, pool) == one
