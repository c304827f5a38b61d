"""A settled bill's per-product and per-reseller sums are computed once, then read from the
cache; an open bill's are computed on every view (issue [9])."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing import selectors

from .factories import make_bill


def _queries(fn, bill) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as ctx:
        rows = fn(bill)
    return len(ctx.captured_queries), rows


def test_settled_bill_sums_are_computed_once(partner):
    bill = make_bill(partner, "2026-04", lines=12, settled=True)
    first, rows = _queries(selectors.bill_product_summary, bill)
    again, cached = _queries(selectors.bill_product_summary, bill)
    assert first >= 1 and again == 0
    assert cached == rows and sum(r["lines"] for r in rows) == 12


def test_open_bill_sums_are_computed_each_time(partner):
    bill = make_bill(partner, "2026-04", lines=5)
    assert _queries(selectors.bill_product_summary, bill)[0] >= 1
    assert _queries(selectors.bill_product_summary, bill)[0] >= 1
