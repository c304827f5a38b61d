"""Bill details as CSV or XLSX, for periods of any size.

Nothing holds the period's lines in memory. On PostgreSQL the CSV is produced by the
database itself (`COPY (SELECT ...) TO STDOUT WITH (FORMAT csv)`, the page's filters
compiled into the query) and streamed to the client as it arrives; elsewhere (the SQLite
demo) rows come in chunks from an iterator and are written by Python's csv module, to the
same bytes. XLSX is written by openpyxl's write-only mode (rows go to a temporary file as
they come) and then streamed from that file."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from decimal import Decimal

from django.db import connections
from django.db.models import Case, CharField, F, Func, QuerySet, Value, When
from django.db.models.functions import NullIf
from django.utils.translation import gettext as _

from partner_center import exports

from .models import Bill, BillLine
from .periods import SHANGHAI

FETCH_CHUNK = 2000
ROWS_PER_WRITE = 500
COPY_WRITE_BYTES = 64 * 1024
UTF8_BOM = "\ufeff"  # lets spreadsheet programs read the Chinese text as UTF-8

_FIELDS = (
    "occurred_at",
    "customer_name",
    "customer_account",
    "product_code",
    "product_name",
    "order_no",
    "source_ref",
    "line_type",
    "amount",
    "voucher_amount",
    "reseller_name",
)


def headers(with_reseller: bool) -> list[str]:
    names = [
        _("Time (UTC+8)"),
        _("Customer"),
        _("Customer account"),
        _("Product code"),
        _("Product"),
        _("Order number"),
        _("Source record"),
        _("Type"),
        _("Amount (CNY)"),
        _("Paid by voucher (CNY)"),
    ]
    if with_reseller:
        names.append(_("Reseller"))
    return names


def has_resellers(bill: Bill) -> bool:
    return BillLine.objects.filter(bill=bill, reseller__isnull=False).exists()


def _raw_rows(lines: QuerySet[BillLine]) -> Iterator[tuple]:
    return lines.values_list(*_FIELDS).iterator(chunk_size=FETCH_CHUNK)


def csv_stream(
    lines: QuerySet[BillLine], *, with_reseller: bool, use_copy: bool | None = None
) -> Iterator[bytes]:
    """The CSV file as a stream of byte chunks: a UTF-8 byte-order mark and the header row
    in the active language, then one row per line."""
    labels = {key: str(value) for key, value in BillLine.Type.choices}  # now, not when streamed
    writer = exports.CsvWriter(lineterminator="\n")
    writer.row(headers(with_reseller))
    head = (UTF8_BOM + writer.take()).encode()
    if use_copy is None:
        use_copy = connections[lines.db].vendor == "postgresql"
    body = (
        _copy_rows(lines, labels, with_reseller)
        if use_copy
        else _python_rows(lines, labels, with_reseller)
    )
    return itertools.chain([head], body)


def _python_rows(lines, labels: dict[str, str], with_reseller: bool) -> Iterator[bytes]:
    writer = exports.CsvWriter(lineterminator="\n")  # formula-safe cells
    width = len(_FIELDS) if with_reseller else len(_FIELDS) - 1
    pending = 0
    for row in _raw_rows(lines):
        moment, *rest = row
        rest[6] = labels[rest[6]]  # line_type
        writer.row([timezone_text(moment), *rest[: width - 1]])
        pending += 1
        if pending >= ROWS_PER_WRITE:
            yield writer.take().encode()
            pending = 0
    if pending:
        yield writer.take().encode()


class _LocalTime(Func):
    """occurred_at as China Standard Time text, formatted like `timezone_text`."""

    template = "to_char(%(expressions)s AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')"
    output_field = CharField()


def _blank_as_null(name: str):
    # COPY quotes empty strings ("") to tell them from NULL; the csv module writes nothing.
    # The text is made formula-safe in SQL, as `exports.CsvWriter` does in Python.
    return NullIf(exports.FormulaSafeText(F(name)), Value(""))


def _copy_rows(lines, labels: dict[str, str], with_reseller: bool) -> Iterator[bytes]:
    type_label = Case(
        *[When(line_type=key, then=Value(label)) for key, label in labels.items()],
        output_field=CharField(),
    )
    columns = {
        "c_time": _LocalTime(F("occurred_at")),
        "c_customer": _blank_as_null("customer_name"),
        "c_account": _blank_as_null("customer_account"),
        "c_code": _blank_as_null("product_code"),
        "c_product": _blank_as_null("product_name"),
        "c_order": _blank_as_null("order_no"),
        "c_source": _blank_as_null("source_ref"),
        "c_type": type_label,
        "c_amount": F("amount"),
        "c_voucher": F("voucher_amount"),
    }
    if with_reseller:
        columns["c_reseller"] = _blank_as_null("reseller_name")
    query = lines.annotate(**columns).values_list(*columns)
    sql, params = query.query.sql_with_params()
    connection = connections[lines.db]
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        pending = bytearray()
        for data in copy:
            pending += data
            if len(pending) >= COPY_WRITE_BYTES:
                yield bytes(pending)
                pending.clear()
        if pending:
            yield bytes(pending)


def timezone_text(moment) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def xlsx_file(lines: QuerySet[BillLine], *, with_reseller: bool, title: str):
    """An open temporary file holding the workbook, positioned at its start."""
    labels = {key: str(value) for key, value in BillLine.Type.choices}
    widths = [20, 34, 16, 12, 26, 20, 24, 12, 14, 14, 30]
    writer = exports.XlsxWriter(title=title, widths=widths[: 11 if with_reseller else 10])
    writer.header(headers(with_reseller))
    width = len(_FIELDS) if with_reseller else len(_FIELDS) - 1
    for row in _raw_rows(lines):
        moment, *rest = row
        rest[6] = labels[rest[6]]
        rest[7], rest[8] = Decimal(rest[7]), Decimal(rest[8])
        writer.row([timezone_text(moment), *rest[: width - 1]], money_columns=(8, 9))
    return writer.temporary_file()
