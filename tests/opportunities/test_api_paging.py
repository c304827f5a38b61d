"""API pagination (partner_center/api_paging): page numbers with a bounded count, and a
cursor mode whose pages follow the list's sort plus the id — every row once, both ways."""

from decimal import Decimal

import pytest

from partner_center import paging
from tests.helpers import api_client

from .conftest import make_po

pytestmark = pytest.mark.django_db
PO = "/api/v1/opportunities/po/"


@pytest.fixture
def client(owner):
    return api_client(owner)


@pytest.fixture
def pos(owner):
    # Ties on the amount, so the id must break them; one customer name sorts first.
    amounts = ["300", "100", "300", "200", "300", "100", "50"]
    return [
        make_po(owner, amount=Decimal(a), customer_name=f"客户{i % 3}有限公司")
        for i, a in enumerate(amounts)
    ]


def _walk(client, url):
    ids, pages = [], 0
    while url:
        body = client.get(url).json()
        assert "count" not in body
        ids += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    return ids, pages


@pytest.mark.parametrize("sort", ["", "amount", "-amount", "customer", "-deadline", "created"])
def test_the_cursor_walks_every_row_once_in_the_lists_order(client, pos, sort):
    query = f"sort={sort}&" if sort else ""
    expected = [row["id"] for row in client.get(f"{PO}?{query}page_size=50").json()["results"]]
    assert sorted(expected) == sorted(po.pk for po in pos)
    ids, pages = _walk(client, f"{PO}?{query}cursor=&page_size=2")
    assert ids == expected and pages == 4


def test_previous_walks_back(client, pos):
    first = client.get(f"{PO}?sort=amount&cursor=&page_size=3").json()
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    back = client.get(second["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in first["results"]]
    assert back["previous"] is None and back["next"]


def test_rows_added_meanwhile_do_not_repeat_rows(client, pos, owner):
    first = client.get(f"{PO}?cursor=&page_size=3").json()
    make_po(owner)  # newest first: it lands before the cursor
    rest, _ = _walk(client, first["next"])
    seen = [r["id"] for r in first["results"]] + rest
    assert len(seen) == len(set(seen)) == len(pos)


def test_a_bad_or_foreign_cursor_is_400(client, pos):
    assert client.get(f"{PO}?cursor=!!!").status_code == 400
    assert client.get(f"{PO}?cursor=e30").status_code == 200  # "{}": the first page
    by_amount = client.get(f"{PO}?sort=amount&cursor=&page_size=2").json()["next"]
    token = by_amount.split("cursor=")[1].split("&")[0]
    response = client.get(f"{PO}?sort=customer&cursor={token}")
    assert response.status_code == 400 and response.json()["code"] == "invalid_cursor"


def test_the_page_count_is_bounded(client, pos, monkeypatch):
    body = client.get(f"{PO}?page_size=2").json()
    assert body["count"] == 7 and body["count_capped"] is False
    monkeypatch.setattr(paging.Paginator, "cap", 4)
    body = client.get(f"{PO}?page_size=2").json()
    assert body["count"] == 4 and body["count_capped"] is True
    assert client.get(f"{PO}?page_size=2&page=3").status_code == 404


def test_a_timeline_pages_by_position(client, pos):
    po = pos[0]
    client.patch(f"{PO}{po.pk}/", {"project_name": "新"}, format="json")
    response = client.get(f"{PO}{po.pk}/timeline/?cursor=")
    assert response.status_code == 200
