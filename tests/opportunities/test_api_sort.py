"""`?sort=` on the opportunity lists: the pages' sort options (the default order does not undo
them); `?ordering=` still works."""

from decimal import Decimal

import pytest

from .conftest import make_po


@pytest.mark.django_db
def test_sort_orders_the_opportunity_lists(login, owner):
    for amount in ("300.00", "100.00", "200.00"):
        make_po(owner, amount=Decimal(amount))
    client = login(owner)
    ascending = client.get("/api/v1/opportunities/po/?sort=amount").json()["results"]
    assert [row["amount"] for row in ascending] == ["100.00", "200.00", "300.00"]
    descending = client.get("/api/v1/opportunities/po/?sort=-amount").json()["results"]
    assert [row["amount"] for row in descending] == ["300.00", "200.00", "100.00"]
    assert client.get("/api/v1/opportunities/po/?sort=nonsense").status_code == 400
