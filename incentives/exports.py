"""Performance details as CSV or XLSX, for periods of any size.

Rows come from the database in chunks (a server-side cursor on PostgreSQL) and are never
all in memory: CSV goes out while it is written; XLSX is written row by row by openpyxl's
write-only mode into a temporary file that is then streamed."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Order
from partner_center import exports

from .periods import SHANGHAI

FETCH_CHUNK = 2000
ROWS_PER_WRITE = 500
UTF8_BOM = "\ufeff"  # spreadsheet programs then read the Chinese text as UTF-8

FIELDS = (
    "billing_period",
    "formed_at",
    "order__order_no",
    "order_type",
    "customer__name",
    "customer__account_name",
    "product__code",
    "product__name",
    "order_amount",
    "voucher_amount",
    "amount",
)
MONEY_COLUMNS = (8, 9, 10)


def headers(with_reseller: bool) -> list[str]:
    names = [
        _("Billing period"),
        _("Formed at (UTC+8)"),
        _("Order number"),
        _("Order type"),
        _("Customer"),
        _("Customer account"),
        _("Product code"),
        _("Product"),
        _("Order amount (CNY)"),
        _("Paid by voucher (CNY)"),
        _("Performance (CNY)"),
    ]
    if with_reseller:
        names.append(_("Reseller"))
    return names


def _type_labels() -> dict[str, str]:
    return {key: str(label) for key, label in Order.Type.choices}


def _rows(records: QuerySet, with_reseller: bool, labels: dict[str, str]) -> Iterator[list]:
    fields = (*FIELDS, "partner__name") if with_reseller else FIELDS
    for row in (
        records.order_by("formed_at", "pk").values_list(*fields).iterator(chunk_size=FETCH_CHUNK)
    ):
        values = list(row)
        values[1] = timezone.localtime(values[1], SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
        values[3] = labels.get(values[3], values[3])
        yield values


def csv_stream(records: QuerySet, *, with_reseller: bool = False) -> Iterator[bytes]:
    """The CSV file as a stream of byte chunks. The texts are translated now, in the
    request's language: the stream itself is read after the view has returned."""
    return _csv_chunks(records, with_reseller, headers(with_reseller), _type_labels())


def _csv_chunks(records, with_reseller: bool, head: list[str], labels) -> Iterator[bytes]:
    yield from exports.csv_stream(
        head, _rows(records, with_reseller, labels), rows_per_chunk=ROWS_PER_WRITE
    )


def xlsx_file(records: QuerySet, *, title: str, with_reseller: bool = False):
    """An open temporary file holding the workbook, at its start (the response closes it)."""
    widths = [10, 20, 20, 12, 30, 16, 12, 24, 16, 16, 16, 28]
    writer = exports.XlsxWriter(title=title, widths=widths[: 12 if with_reseller else 11])
    writer.header(headers(with_reseller))
    for values in _rows(records, with_reseller, _type_labels()):
        for column in MONEY_COLUMNS:
            values[column] = Decimal(values[column])
        writer.row(values, money_columns=MONEY_COLUMNS)
    return writer.temporary_file()
