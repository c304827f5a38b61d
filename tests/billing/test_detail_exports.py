import csv
import io
import tracemalloc
from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from billing import detail_exports
from billing.models import BillLine
from billing.periods import SHANGHAI
from tests.billing.factories import line, make_bill
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def csv_url(period="2026-05"):
    return reverse("billing:bill_details_csv", args=[period])


def xlsx_url(period="2026-05"):
    return reverse("billing:bill_details_xlsx", args=[period])


def read_csv(response) -> list[list[str]]:
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_has_every_line_with_names_times_and_signed_amounts(partner, owner, login):
    make_bill(
        partner,
        lines=[
            line(
                "12.30",
                customer="上海数联物流有限公司",
                when=datetime(2026, 5, 1, 0, 5, tzinfo=SHANGHAI),
            ),
            line("-4.00", line_type=BillLine.Type.UNSUBSCRIBE, order_no="CS-U-1"),
        ],
    )
    response = login(owner).get(csv_url())
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="bill-2026-05-details.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][0] == "时间（UTC+8）"
    assert len(rows) == 3
    assert rows[1][0] == "2026-05-01 00:05:00"
    assert rows[1][1] == "上海数联物流有限公司"
    assert rows[1][8] == "12.30"
    assert rows[2][5] == "CS-U-1"
    assert rows[2][8] == "-4.00"


def test_csv_in_english(partner, owner, login):
    make_bill(partner, lines=[line("1.00", line_type=BillLine.Type.RENEWAL)])
    client = login(owner)
    response = client.get(csv_url(), HTTP_ACCEPT_LANGUAGE="en")
    rows = read_csv(response)
    assert rows[0][:2] == ["Time (UTC+8)", "Customer"]
    assert rows[1][7] == "Renewal"


def test_csv_applies_the_page_filters(partner, owner, login):
    make_bill(
        partner,
        lines=[
            line("1.00", product=("obs", "对象存储服务 OBS")),
            line("2.00"),
            line("3.00", line_type=BillLine.Type.NEW),
        ],
    )
    client = login(owner)
    assert [r[8] for r in read_csv(client.get(csv_url(), {"product": "obs"}))[1:]] == ["1.00"]
    assert [r[8] for r in read_csv(client.get(csv_url(), {"line_type": "new"}))[1:]] == ["3.00"]
    assert [r[8] for r in read_csv(client.get(csv_url(), {"ordering": "-amount"}))[1:]] == [
        "3.00",
        "2.00",
        "1.00",
    ]


def test_distributor_csv_names_the_reseller(distributor, distributor_admin, resellers, login):
    make_bill(distributor, lines=[line("5.00", reseller=resellers[0]), line("6.00")])
    rows = read_csv(login(distributor_admin).get(csv_url()))
    assert len(rows[0]) == 11
    assert [r[10] for r in rows[1:]] == ["启航云服科技(深圳)有限公司", ""]


def test_xlsx_has_numbers_and_the_same_rows(partner, owner, login):
    make_bill(partner, lines=[line("12.30"), line("-4.00", line_type=BillLine.Type.DOWNGRADE)])
    response = login(owner).get(xlsx_url(), {"ordering": "amount"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[1][8] == pytest.approx(-4.0)
    assert rows[2][8] == pytest.approx(12.3)
    assert rows[2][1] == "杭州云启智能科技有限公司"


def _peak_while_streaming(client, url) -> tuple[int, int]:
    response = client.get(url)
    tracemalloc.start()
    tracemalloc.reset_peak()
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, size


def test_csv_memory_does_not_grow_with_the_number_of_lines(partner, owner, login, monkeypatch):
    monkeypatch.setattr(detail_exports, "FETCH_CHUNK", 200)
    make_bill(partner, "2026-04", lines=1000, seed=1)
    make_bill(partner, "2026-05", lines=8000, seed=2)
    client = login(owner)
    small_peak, small_size = _peak_while_streaming(client, csv_url("2026-04"))
    big_peak, big_size = _peak_while_streaming(client, csv_url("2026-05"))
    assert big_size > 7 * small_size
    # 8x the lines, about the same peak: only one fetch of 200 rows is held at a time.
    assert big_peak < small_peak * 1.5, (small_peak, big_peak)


def test_xlsx_memory_does_not_grow_with_the_number_of_lines(partner, owner, login, monkeypatch):
    monkeypatch.setattr(detail_exports, "FETCH_CHUNK", 200)
    make_bill(partner, "2026-04", lines=300, seed=1)
    make_bill(partner, "2026-05", lines=1500, seed=2)
    client = login(owner)

    def peak(url):
        tracemalloc.start()
        response = client.get(url)
        for _chunk in response.streaming_content:
            pass
        _current, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, big = peak(xlsx_url("2026-04")), peak(xlsx_url("2026-05"))
    assert big < small * 1.5, (small, big)


@pytest.mark.parametrize("rows", [1, 50])
def test_csv_export_query_count_is_fixed(partner, owner, login, rows):
    make_bill(partner, lines=rows)
    client = login(owner)
    client.get(csv_url())

    def download():
        b"".join(client.get(csv_url()).streaming_content)

    # plus the one COPY that streams the rows (psycopg's copy is not in Django's query log)
    assert count_queries(download) == 7


def test_amount_column_sums_to_the_bill(partner, owner, login):
    bill = make_bill(partner, lines=200)
    rows = read_csv(login(owner).get(csv_url()))[1:]
    charged = sum(Decimal(r[8]) for r in rows)
    vouchers = sum(Decimal(r[9]) for r in rows)
    assert charged - vouchers == bill.amount_due


@pytest.mark.parametrize(
    ("params", "rows"),
    [({}, 4), ({"q": "数联"}, 1), ({"line_type": "unsubscribe"}, 1), ({"ordering": "-amount"}, 4)],
)
def test_database_copy_and_python_writer_give_the_same_file(distributor, resellers, params, rows):
    from billing.filters import BillLineFilter
    from billing.selectors import bill_lines

    bill = make_bill(
        distributor,
        lines=[
            line("12.30", customer='上海数联物流有限公司, "华东"', reseller=resellers[0]),
            line("-4.00", line_type=BillLine.Type.UNSUBSCRIBE, order_no="CS-U-1"),
            line("0.01", customer="Line\nbreak Ltd.", voucher="0.01"),
            line("7.77", when=datetime(2026, 5, 31, 23, 59, 59, tzinfo=SHANGHAI)),
        ],
    )

    def body(use_copy):
        lines = BillLineFilter(params, bill_lines(bill), bill=bill).qs
        return b"".join(detail_exports.csv_stream(lines, with_reseller=True, use_copy=use_copy))

    via_copy, via_python = body(True), body(False)
    assert via_copy == via_python
    parsed = list(csv.reader(io.StringIO(via_copy.decode("utf-8-sig"))))
    assert len(parsed) == 1 + rows


def test_python_writer_memory_does_not_grow_with_the_number_of_lines(partner, monkeypatch):
    """The path the SQLite demo takes: chunked iterator, rows written as they come."""
    from billing.selectors import bill_lines

    monkeypatch.setattr(detail_exports, "FETCH_CHUNK", 200)
    small_bill = make_bill(partner, "2026-04", lines=1000, seed=1)
    big_bill = make_bill(partner, "2026-05", lines=8000, seed=2)

    def peak(bill):
        stream = detail_exports.csv_stream(bill_lines(bill), with_reseller=False, use_copy=False)
        tracemalloc.start()
        size = sum(len(chunk) for chunk in stream)
        _current, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top, size

    (small, small_size), (big, big_size) = peak(small_bill), peak(big_bill)
    assert big_size > 7 * small_size
    assert big < small * 1.5, (small, big)
