"""Every list export (CSV and XLSX) written the same way.

* Streamed: CSV goes out as it is written (`csv_stream` → `csv_response`, a
  `StreamingHttpResponse`); XLSX is written row by row by openpyxl's write-only mode into a
  temporary file that is then streamed (`XlsxWriter` → `xlsx_response`).
* Formula-safe: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
  would be run by a spreadsheet program as a formula; it is written with a leading `'` (CSV
  and XLSX), and XLSX cells holding text are always string cells. Numbers stay numbers.
* File names come from validated parameters only (`clean_period` for `?period=`), and the
  `Content-Disposition` header is built by `content_disposition` (RFC 6266: an ASCII
  fallback plus `filename*`), which the download helper of `partner_center.uploads` shares."""

from __future__ import annotations

import csv
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from django.db.models import CharField, Func
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from partner_center.errors import DomainError

UTF8_BOM = "\ufeff"  # spreadsheet programs then read the Chinese text as UTF-8
ROWS_PER_CHUNK = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERIOD_RE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


def neutralize(value):
    """A text that a spreadsheet would read as a formula, made plain text with a leading `'`.
    Anything that is not a string (numbers, dates, None) is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Buffer:
    """A write-only text sink that hands out what was written since the last take()."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


class CsvWriter:
    """Rows in, formula-safe CSV text out (`take()` returns what was written since last)."""

    def __init__(self, *, lineterminator: str = "\r\n"):
        # With "\r\n" the csv module quotes every field holding a CR or LF (as PostgreSQL's
        # COPY does); for another terminator each row's own "\r\n" is swapped for it.
        self._buffer = _Buffer()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")
        self._terminator = lineterminator

    def row(self, values: Iterable) -> None:
        self._writer.writerow([neutralize(value) for value in values])
        if self._terminator != "\r\n":
            self._buffer.parts[-1] = self._buffer.parts[-1][:-2] + self._terminator

    def take(self) -> str:
        return self._buffer.take()


def csv_stream(
    header: Iterable,
    rows: Iterable[Iterable],
    *,
    lineterminator: str = "\r\n",
    rows_per_chunk: int = ROWS_PER_CHUNK,
) -> Iterator[bytes]:
    """The CSV file as byte chunks: a UTF-8 byte-order mark and the header, then the rows."""
    writer = CsvWriter(lineterminator=lineterminator)
    writer.row(header)
    yield (UTF8_BOM + writer.take()).encode()
    pending = 0
    for values in rows:
        writer.row(values)
        pending += 1
        if pending >= rows_per_chunk:
            yield writer.take().encode()
            pending = 0
    if pending:
        yield writer.take().encode()


def csv_bytes(header: Iterable, rows: Iterable[Iterable], **kwargs) -> bytes:
    return b"".join(csv_stream(header, rows, **kwargs))


class FormulaSafeText(Func):
    """SQL twin of `neutralize` for exports the database writes itself (`COPY ... TO STDOUT`):
    a text starting with a formula character gets a leading `'`."""

    template = (
        "CASE WHEN left(%(expressions)s, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
        "THEN '''' || %(expressions)s ELSE %(expressions)s END"
    )
    output_field = CharField()
    # The expression appears three times in the SQL: use it for columns (no parameters).


class XlsxWriter:
    """A write-only openpyxl workbook with one sheet: a bold header, then rows. Text cells are
    string cells, neutralized like CSV; numbers stay numbers (`money_columns` get a CNY
    number format)."""

    def __init__(self, *, title: str, widths: Iterable[int] = (), freeze_header: bool = True):
        from openpyxl import Workbook

        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(title=_sheet_title(title))
        for index, width in enumerate(widths):
            self.sheet.column_dimensions[_column_letter(index)].width = width
        if freeze_header:
            self.sheet.freeze_panes = "A2"

    def header(self, labels: Iterable) -> None:
        from openpyxl.styles import Font

        bold = Font(bold=True)
        cells = []
        for label in labels:
            cell = self.cell(str(label))
            cell.font = bold
            cells.append(cell)
        self.sheet.append(cells)

    def cell(self, value, *, number_format: str | None = None):
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, str):
            from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

            # Control characters cannot be stored in XLSX: dropped rather than failing.
            cell = WriteOnlyCell(self.sheet, value=neutralize(ILLEGAL_CHARACTERS_RE.sub("", value)))
            cell.data_type = "s"  # text, never a formula
            return cell
        cell = WriteOnlyCell(self.sheet, value=value)
        if number_format:
            cell.number_format = number_format
        return cell

    def row(self, values: Iterable, *, money_columns: Iterable[int] = ()) -> None:
        money = set(money_columns)
        self.sheet.append(
            [
                self.cell(value, number_format="#,##0.00" if index in money else None)
                for index, value in enumerate(values)
            ]
        )

    def temporary_file(self):
        """An open temporary file holding the workbook, at its start (the response closes it)."""
        handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the caller closes it
        self.workbook.save(handle)
        handle.seek(0)
        return handle

    def to_bytes(self) -> bytes:
        with self.temporary_file() as handle:
            return handle.read()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "-", str(title)).strip("'") or "Sheet"
    return cleaned[:31]


# ---- File names and responses ----------------------------------------------------------


def safe_filename(name: str, *, default: str = "download") -> str:
    """A file name without folders, quotes, control or separator characters."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        ch if ch.isprintable() and ch not in "\"';:*?<>|`" else "_" for ch in name
    ).strip(" .")
    return name[:150] or default


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9._ ()+,=\[\]-]", "_", text).strip(" ._")


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded` (RFC 6266,
    RFC 5987): no header injection whatever the name holds."""
    name = safe_filename(filename)
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    ascii_stem = _ascii(stem) or "download"
    ascii_extension = _ascii(extension)
    ascii_name = f"{ascii_stem}.{ascii_extension}" if ascii_extension else ascii_stem
    disposition = "inline" if inline else "attachment"
    header = f'{disposition}; filename="{ascii_name}"'
    if ascii_name != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def _private(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(chunks: Iterable[bytes], *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=CSV_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return _private(response)


def xlsx_response(handle, *, filename: str) -> FileResponse:
    response = FileResponse(handle, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return _private(response)


def clean_period(value, *, field: str = "period", allow_blank: bool = False) -> str:
    """A `?period=` parameter as `YYYY-MM`, or `DomainError` (pages and the API answer 400).
    Blank gives "" when `allow_blank`."""
    value = "" if value is None else str(value)
    if not value and allow_blank:
        return ""
    if not PERIOD_RE.match(value):
        raise DomainError(
            _("Choose a billing period written as YYYY-MM, for example 2026-05."),
            field=field,
            code="invalid_period",
        )
    return value
