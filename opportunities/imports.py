"""Bulk import of POs from CSV or XLSX. Each row is validated by the same form as the page
and created by the same service; a row either becomes a PO (submitted too, if asked) or goes
into the file of failed rows with its reason. The file of failed rows has the uploaded
format and columns, plus the row number and the reason."""

from __future__ import annotations

import csv
import io
import logging
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from partner_center import exports
from partner_center.errors import DomainError

from .catalog import Industry, Product, Region
from .models import POImport

MAX_ROWS = 5000
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Column:
    name: str
    label: object  # lazy translation
    example: str


COLUMNS = (
    Column("external_ref", gettext_lazy("External reference"), "CRM-2026-0001"),
    Column("customer_name", gettext_lazy("Customer name"), "江南智造装备股份有限公司"),
    Column("customer_credit_code", gettext_lazy("Customer credit code"), ""),
    Column("customer_industry", gettext_lazy("Industry"), "manufacturing"),
    Column("customer_region", gettext_lazy("Region"), "east"),
    Column("contact_name", gettext_lazy("Contact person"), "周工"),
    Column("contact_phone", gettext_lazy("Contact phone"), "13912345678"),
    Column("project_name", gettext_lazy("Project name"), "MES 系统上云"),
    Column("products", gettext_lazy("Products"), "ecs, rds"),
    Column("amount", gettext_lazy("Estimated amount (CNY)"), "680000.00"),
    Column("expected_close_date", gettext_lazy("Expected close date"), "2026-12-31"),
    Column("description", gettext_lazy("Description"), ""),
)
REASON_COLUMN = gettext_lazy("Why it failed")
ROW_COLUMN = gettext_lazy("Row")


# Chinese headers of templates downloaded before the glossary settled a term: files made
# from an old template still import.
LEGACY_HEADERS = {"区域": "customer_region", "描述": "description"}


def header_key(text: str) -> str:
    """A header cell compared without case or full-/half-width brackets and spaces."""
    return text.strip().lower().replace("（", "(").replace("）", ")").replace(" ", "")


def _header_aliases() -> dict[str, str]:
    """Header text (code, English or Chinese label, legacy label) → column name."""
    aliases = {header_key(k): v for k, v in LEGACY_HEADERS.items()}
    for col in COLUMNS:
        aliases[header_key(col.name)] = col.name
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                aliases[header_key(str(col.label))] = col.name
    return aliases


def _choice_aliases(choices) -> dict[str, str]:
    aliases = {}
    for code, label in choices:
        aliases[code.lower()] = code
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                aliases[str(label).strip().lower()] = code
    return aliases


def template_rows() -> tuple[list[str], list[str]]:
    """Header (in the current language) and one example row."""
    return [str(c.label) for c in COLUMNS], [c.example for c in COLUMNS]


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    header, example = template_rows()
    writer.writerow(header)
    writer.writerow(example)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def template_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "POs"
    header, example = template_rows()
    ws.append(header)
    ws.append(example)
    help_ws = wb.create_sheet(_("Codes"))
    help_ws.append([_("Column"), _("Code"), _("Meaning")])
    for column, choices in (
        ("products", Product.choices),
        ("customer_industry", Industry.choices),
        ("customer_region", Region.choices),
    ):
        for code, label in choices:
            help_ws.append([column, code, str(label)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class ImportFileError(Exception):
    pass


# An XLSX is a zip of XML files; each entry's uncompressed size is declared in the zip's
# directory and checked before anything is unpacked (a 400 KB file may hold gigabytes).
XLSX_MAX_ENTRY_BYTES = 32 * 1024 * 1024
XLSX_MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_CELL_CHARS = 10_000
ENCODING_CHUNK = 64 * 1024


def read_rows(path_or_file, file_format: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows) as text cells (small files: templates, tests)."""
    rows = iter_rows(path_or_file, file_format)
    header = next(rows, None)
    if header is None:
        raise ImportFileError(_("The file is empty."))
    return [c.strip() for c in header[1]], [cells for _n, cells in rows]


def iter_rows(fh, file_format: str):
    """(row number, text cells) of the non-blank rows, read as a stream: nothing beyond
    the row being read is held. Every way a file can be unreadable raises ImportFileError."""
    source = _xlsx_rows(fh) if file_format == "xlsx" else _csv_rows(fh)
    for number, cells in source:
        if any((c or "").strip() for c in cells):
            yield number, cells


def _csv_encoding(fh) -> str:
    import codecs

    for encoding in ("utf-8-sig", "gb18030"):
        fh.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := fh.read(ENCODING_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        fh.seek(0)
        return encoding
    raise ImportFileError(_("The CSV file is neither UTF-8 nor GB18030 text."))


def _csv_rows(fh):
    import codecs

    encoding = _csv_encoding(fh)
    reader = csv.reader(codecs.getreader(encoding)(fh), strict=True)
    number = 0
    try:
        for cells in reader:
            number += 1
            yield number, [c[:MAX_CELL_CHARS] for c in cells]
    except csv.Error as exc:
        raise ImportFileError(
            _(
                "The CSV file cannot be read after row %(row)s: %(error)s. Check that every "
                "quote that opens a cell is closed."
            )
            % {"row": number, "error": exc}
        ) from exc


def _xlsx_rows(fh):
    import zipfile

    unreadable = _("The file is not a readable XLSX workbook.")
    try:
        with zipfile.ZipFile(fh) as archive:
            sizes = [info.file_size for info in archive.infolist()]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportFileError(unreadable) from exc
    if max(sizes, default=0) > XLSX_MAX_ENTRY_BYTES or sum(sizes) > XLSX_MAX_TOTAL_BYTES:
        raise ImportFileError(
            _("The workbook unpacks to more than %(mb)s MB: split it or save it as CSV.")
            % {"mb": XLSX_MAX_TOTAL_BYTES // (1024 * 1024)}
        )
    fh.seek(0)
    try:
        archive, sheet = _first_sheet(fh)
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook
        raise ImportFileError(unreadable) from exc
    number = 0
    try:
        for values in sheet.iter_rows(values_only=True):
            number += 1
            yield number, ["" if v is None else _cell_text(v)[:MAX_CELL_CHARS] for v in values]
    except Exception as exc:  # noqa: BLE001 - XML errors, a cut zip member, ...
        raise ImportFileError(
            _("The workbook cannot be read after row %(row)s (%(error)s).")
            % {"row": number, "error": type(exc).__name__}
        ) from exc
    finally:
        archive.close()


def _first_sheet(fh):
    """(zip archive, first worksheet) read-only, without openpyxl's full scan of the
    sheet for its size when the file does not declare it (that scan alone took seconds on
    a 200,000-row file): rows are streamed and counted by the caller."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class StreamedSheet(ReadOnlyWorksheet):
        def _get_size(self):
            return None

    reader = ExcelReader(fh, read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)  # date formats: dates read as dates
    for sheet, rel in reader.parser.find_sheets():
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
            return reader.archive, StreamedSheet(
                reader.wb, sheet.name, rel.target, reader.shared_strings
            )
    reader.archive.close()
    raise ImportFileError(_("The workbook has no worksheet."))


def _cell_text(value) -> str:
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == value.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _split_products(text: str, aliases: dict[str, str]) -> list[str]:
    parts = [
        p.strip() for p in text.replace("、", ",").replace(";", ",").replace("|", ",").split(",")
    ]
    return [aliases.get(p.lower(), p) for p in parts if p]


def row_to_data(values: dict[str, str]) -> tuple[str, dict]:
    """(external reference, form data) from one row's cells by column name."""
    products = _split_products(values.get("products", ""), _choice_aliases(Product.choices))
    industry = _choice_aliases(Industry.choices).get(
        values.get("customer_industry", "").strip().lower(), values.get("customer_industry", "")
    )
    region = _choice_aliases(Region.choices).get(
        values.get("customer_region", "").strip().lower(), values.get("customer_region", "")
    )
    data = {
        "customer_name": values.get("customer_name", ""),
        "customer_credit_code": values.get("customer_credit_code", "").strip().upper(),
        "customer_industry": industry,
        "customer_region": region,
        "contact_name": values.get("contact_name", ""),
        "contact_phone": values.get("contact_phone", ""),
        "project_name": values.get("project_name", ""),
        "products": products,
        "amount": values.get("amount", "").replace(",", "").replace("¥", "").strip(),
        "expected_close_date": values.get("expected_close_date", "").strip(),
        "description": values.get("description", ""),
    }
    return values.get("external_ref", "").strip(), data


def _form_error_text(form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return "; ".join(parts)


def _write_failed(imp: POImport, header: list[str], failed: list[tuple[int, list[str], str]]):
    out_header = [str(ROW_COLUMN), *header, str(REASON_COLUMN)]
    out_rows = [[str(n), *cells, reason] for n, cells, reason in failed]
    # Cells came from the uploader: written formula-safe, stored under a generated name.
    if imp.file.name.endswith(".xlsx"):
        writer = exports.XlsxWriter(title="POs", freeze_header=False)
        writer.header(out_header)
        for row in out_rows:
            writer.row(row)
        content, extension = writer.to_bytes(), "xlsx"
    else:
        content, extension = exports.csv_bytes(out_header, out_rows), "csv"
    imp.failed_file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)


HEARTBEAT_ROWS = 25


def _scan(imp: POImport, fmt: str) -> tuple[list[str], list[str | None], int]:
    """Header, column names and the number of rows, checked before any row is imported:
    missing columns and too many rows stop at once (reading stops at MAX_ROWS + 1)."""
    with imp.file.open("rb") as fh:
        rows = iter_rows(fh, fmt)
        first = next(rows, None)
        if first is None:
            raise ImportFileError(_("The file is empty."))
        header = [c.strip() for c in first[1]]
        aliases = _header_aliases()
        names = [aliases.get(header_key(h)) for h in header]
        missing = [
            str(c.label)
            for c in COLUMNS
            if c.name in ("customer_name", "project_name", "products") and c.name not in names
        ]
        if missing:
            raise ImportFileError(
                _("Columns missing: %(columns)s. Start from the template.")
                % {"columns": ", ".join(missing)}
            )
        total = 0
        for _row in rows:
            total += 1
            if total > MAX_ROWS:
                raise ImportFileError(_("At most %(n)s rows per file.") % {"n": MAX_ROWS})
    return header, names, total


def _fail(imp: POImport, message: str) -> None:
    from .import_jobs import IMPORT_LIFECYCLE

    with transaction.atomic():
        current = POImport.objects.select_for_update().get(pk=imp.pk)
        if current.state not in (POImport.State.QUEUED, POImport.State.RUNNING):
            return
        IMPORT_LIFECYCLE.apply(
            current,
            "fail",
            actor=None,
            locked=True,
            reason=message,
            changes={"error": message, "finished_at": timezone.now(), "lease_expires_at": None},
        )


def _import_row(imp: POImport, number: int, header, names, cells) -> None:
    """Import one row and record its outcome, in one transaction: a row is recorded once
    and makes at most one PO, however often the import is run."""
    from .forms import POForm
    from .models import ImportRow
    from .services import Consent, po_create, po_submit

    cells = [*cells, *[""] * (len(header) - len(cells))][: len(header)]
    values = {n: (c or "").strip() for n, c in zip(names, cells, strict=True) if n}
    external_ref, data = row_to_data(values)
    form = POForm(data=data)
    reason = ""
    if not form.is_valid():
        reason = _form_error_text(form)
    else:
        try:
            with transaction.atomic():
                po = po_create(
                    actor=imp.created_by,
                    partner=imp.partner,
                    data=form.cleaned_data,
                    external_ref=external_ref,
                )
                if imp.submit_rows:
                    po_submit(
                        actor=imp.created_by,
                        po=po,
                        consent=Consent(
                            confirmed=True, method=imp.consent_method, note=imp.consent_note
                        ),
                    )
                ImportRow.objects.create(
                    po_import=imp, row_number=number, outcome="created", opportunity=po
                )
                return
        except DomainError as exc:
            reason = str(exc.message)
        except IntegrityError:  # recorded meanwhile by another run (it holds no lease now)
            if ImportRow.objects.filter(po_import=imp, row_number=number).exists():
                return
            raise
    ImportRow.objects.get_or_create(
        po_import=imp,
        row_number=number,
        defaults={"outcome": "failed", "cells": cells, "reason": reason},
    )


def run_import(import_id: int) -> int:
    """Run a queued import (the Celery task's body); returns the number of POs it created
    in all. Resumable: a redelivered task, or a run after the worker died (the lease ran
    out), skips the rows already recorded and goes on. Any unreadable file ends `failed`
    with the reason."""
    from partner_center.jobs import claim, heartbeat

    from .import_jobs import IMPORT_JOB, IMPORT_LIFECYCLE
    from .models import ImportRow

    imp = claim(IMPORT_JOB, import_id)
    if imp is None:
        return 0
    imp = POImport.objects.select_related("partner", "created_by").get(pk=import_id)
    fmt = "xlsx" if imp.file.name.endswith(".xlsx") else "csv"
    with translation.override(imp.language or "zh-hans"):
        try:
            header, names, total = _scan(imp, fmt)
            POImport.objects.filter(pk=imp.pk).update(total_rows=total)
            done = set(ImportRow.objects.filter(po_import=imp).values_list("row_number", flat=True))
            processed = len(done)
            with imp.file.open("rb") as fh:
                rows = iter_rows(fh, fmt)
                next(rows)  # the header
                for number, cells in rows:
                    if number in done:
                        continue
                    _import_row(imp, number, header, names, cells)
                    processed += 1
                    if processed % HEARTBEAT_ROWS == 0:
                        heartbeat(POImport, imp.pk, processed_rows=processed)
        except ImportFileError as exc:
            _fail(imp, str(exc))
            return 0
        except Exception as exc:
            log.exception("PO import %s failed", import_id)
            _fail(
                imp,
                _("The import stopped on an unexpected error (%(error)s).")
                % {"error": type(exc).__name__},
            )
            return 0
        outcomes = ImportRow.objects.filter(po_import=imp)
        created = list(
            outcomes.filter(outcome="created")
            .order_by("row_number")
            .values_list("opportunity_id", flat=True)
        )
        failed = [
            (row.row_number, row.cells, row.reason)
            for row in outcomes.filter(outcome="failed").order_by("row_number")
        ]
        imp.failed_file = ""
        if failed:
            _write_failed(imp, header, failed)
        with transaction.atomic():
            current = POImport.objects.select_for_update().get(pk=imp.pk)
            if current.state != POImport.State.RUNNING:
                return len(created)
            IMPORT_LIFECYCLE.apply(
                current,
                "finish",
                actor=None,
                locked=True,
                changes={
                    "processed_rows": total,
                    "succeeded": len(created),
                    "failed": len(failed),
                    "created_ids": created,
                    "failed_file": imp.failed_file.name or "",
                    "finished_at": timezone.now(),
                    "lease_expires_at": None,
                },
            )
    return len(created)
